"""Request bodies of the API (pydantic; a misspelt key is an error, not silently ignored).

Questions are checked by the same code as ``kgreason ask`` (length, empty, no English words), so
a bad question gets the CLI's message; the schema only types the fields."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utf8(text: str) -> str:
    """JSON can carry lone surrogates (``"\\ud800"``), which no UTF-8 text holds."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"not valid Unicode text (a lone surrogate at character {exc.start + 1})") from None
    return text


Text = Annotated[str, AfterValidator(_utf8)]


class Selection(BaseModel):
    """Which loaded pipeline answers (default: the first one the server was started with)."""

    model_config = ConfigDict(extra="forbid")

    pipeline: Text | None = Field(None, description="A pipeline the server loaded (GET /graphs).",
                                  examples=["default"])
    graphs: list[Text] | None = Field(None, max_length=32,
                                      description="The graphs of a loaded pipeline (GET /graphs); "
                                      "nothing is loaded on request.", examples=[["commonsense"]])


class AskRequest(Selection):
    question: Text = Field(..., description="A question in English (at most 500 characters).",
                           examples=["Can apples be eaten raw?"])
    closed_world: bool | None = Field(None, description="Override the pipeline's world assumption.")


class ProofGraphRequest(AskRequest):
    format: Literal["json", "graphml"] = Field(
        "json", description="json: networkx node-link data; graphml: GraphML text.")
    answer: Text | None = Field(None, max_length=500,
                                description="An open question: the proof of this answer only (its "
                                "`term` or `label` in the answers of /ask); default: all answers.",
                                examples=["cs:Penguin"])


class ProveRequest(Selection):
    triple: Text = Field(..., description="subject predicate object, as for `kgreason prove --triple`.",
                         examples=["cs:Apple cs:canBe cs:EatenRaw"])
    closed_world: bool | None = Field(None, description="Override the pipeline's world assumption.")


class RetrieveRequest(Selection):
    question: Text = Field(..., description="A question or phrase (at most 500 characters).",
                           examples=["Can penguins fly?"])
    k: int = Field(10, ge=1, le=100, description="How many facts to return.")
    radius: int = Field(1, ge=0, le=3, description="Neighbourhood radius around the linked entities.")


class QueryRequest(Selection):
    query: Text = Field(..., description="A SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query "
                        "(read-only; the graph's prefixes need no PREFIX lines).",
                        examples=["SELECT ?x WHERE { ?x rdfs:subClassOf cs:Bird }"])
    inferred: bool = Field(False, description="Query asserted + inferred triples.")


class ErrorBody(BaseModel):
    """Every error: the CLI's one-line message (``kgreason ... --json`` prints the same keys)."""

    error: str
    where: str | None = None
    hint: str | None = None
