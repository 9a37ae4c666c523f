"""Packaging step that pyproject.toml cannot say: the shipped graphs and pipeline configs live at
the top of the repository (``graphs/``, ``pipelines/``, beside ``kgreason/`` and ``tests/``) and
are copied into the wheel as ``kgreason/data/graphs`` and ``kgreason/data/pipelines``. One source
in git; :func:`kgreason.files.shipped_data_dir` finds the checkout's folders in a source checkout
or an editable install, and the wheel's copies in an installed package."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: Top-level folders shipped inside the package, as ``kgreason/data/<name>``.
SHIPPED = ("graphs", "pipelines")


class BuildPyWithShippedData(build_py):
    """``build_py`` plus a copy of :data:`SHIPPED` into ``build_lib/kgreason/data/``. An editable
    install copies nothing: the package reads the checkout's folders in place."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for source, target in self._shipped_files():
            self.mkpath(str(target.parent))
            self.copy_file(str(source), str(target), preserve_mode=False)

    def _shipped_files(self) -> list[tuple[Path, Path]]:
        pairs = []
        for name in SHIPPED:
            folder = Path(name)
            if not folder.is_dir():
                raise SystemExit(f"error: {folder.resolve()} is missing: the shipped {name} are "
                                 "built into the wheel from it (build from a full checkout or sdist)")
            for source in sorted(folder.rglob("*")):
                if source.is_file() and "__pycache__" not in source.parts:
                    target = Path(self.build_lib, "kgreason", "data", name, *source.relative_to(folder).parts)
                    pairs.append((source, target))
        return pairs

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(target) for _, target in self._shipped_files()]


setup(cmdclass={"build_py": BuildPyWithShippedData})
