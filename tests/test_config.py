"""Pipeline configs: shipped ones load, typos and bad YAML are clear errors."""

from __future__ import annotations

import pytest

from kgreason.config import PipelineConfig, load_config, shipped_pipelines
from kgreason.errors import ConfigError


def test_every_shipped_pipeline_loads():
    names = shipped_pipelines()
    assert {"default", "symbolic", "neural", "hybrid"} <= set(names)
    for name in names:
        config = load_config(name)
        assert isinstance(config, PipelineConfig)
        assert config.name == name
    assert load_config("default").reasoning.closed_world is False
    assert load_config("neural").mode == "neural"


def test_unknown_key_is_an_error_naming_the_key(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("graphs: [commonsense]\nretrieval: {kk: 3}\n")
    with pytest.raises(ConfigError, match="retrieval.kk"):
        load_config(path)


def test_malformed_yaml_points_at_the_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("graphs: [commonsense\nmode: symbolic\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and "YAML" in str(info.value)


def test_unknown_pipeline_name_lists_the_shipped_ones():
    with pytest.raises(ConfigError, match="default"):
        load_config("no-such-pipeline")
