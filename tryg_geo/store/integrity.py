"""Are the stored files what was imported? Each version's ``meta.json`` records the SHA-256 of
its files (data, rejected rows, the copy of the original); this module checks them.

Three callers, three depths:

- ``python -m tryg_geo verify`` (:func:`verify`): every version kept, every byte read again;
- every load of the data (:func:`check_current`, from ``load_dataset``): the current versions,
  once per data version and process;
- ``status`` and the Data page (:func:`current_problems`): the current versions, reusing a
  digest while the file's ``stat`` is unchanged, so a rerun costs a few ``stat`` calls.

A problem names the file, the cause and the command that repairs it (``rollback`` to an intact
earlier version, or ``restore`` from a backup).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

from ..errors import DataDamagedError
from .checksum import sha256_cached, sha256_file
from .schema import KIND_LABELS, KINDS

if TYPE_CHECKING:  # for the hints only: the Store's rollback checks with this module
    from .folder import Store

CLI = "python -m tryg_geo"
RESTORE = f"{CLI} restore SIKKERHEDSKOPI.zip"


@dataclass(frozen=True)
class Problem:
    """One stored file that fails its check."""

    kind: str
    version: str
    path: str  # the file, as a full path
    cause: str  # Danish, what is wrong
    repair: str  # Danish, the command(s) that repair it
    current: bool  # part of the version in use now
    data: bool = True  # False for the kept copy of the imported file: the data are intact

    def sentence(self) -> str:
        where = "" if self.current else " (en tidligere version, som ikke bruges nu)"
        return f"{self.path}{where}: {self.cause}. Ret det: {self.repair}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def verify(store: Store) -> tuple[list[Problem], int]:
    """Check every kept version of every kind, reading every byte.

    Returns
    -------
    (problems, files_checked)
    """
    problems: list[Problem] = []
    checked = 0
    for kind in KINDS:
        current = store._current_name(kind)
        problems += _pointer_problems(store, kind)
        for folder in store._all_versions(kind):
            found, count = _version_problems(
                store, kind, folder, current=folder.name == current, digest=sha256_file
            )
            problems += found
            checked += count
    return problems, checked


def current_problems(store: Store, *, cached: bool = True) -> list[Problem]:
    """The problems of the versions in use now (``cached``: reuse digests of unchanged files)."""
    digest = sha256_cached if cached else sha256_file
    problems: list[Problem] = []
    for kind in KINDS:
        pointer = _pointer_problems(store, kind)
        current = store._current(kind)
        if pointer or current is None:
            problems += pointer
            continue
        problems += _version_problems(store, kind, current, current=True, digest=digest)[0]
    return problems


def check_current(store: Store) -> None:
    """Raise :class:`DataDamagedError` when the data in use fail their check (a damaged copy
    of an imported file does not stop the data from loading: ``status`` names it)."""
    problems = [p for p in current_problems(store) if p.data]
    if problems:
        raise damaged_error(problems)


def version_problems(store: Store, kind: str, folder: Path) -> list[Problem]:
    """The problems of one earlier version of ``kind`` (every byte read)."""
    return _version_problems(store, kind, folder, current=False, digest=sha256_file)[0]


def damaged_error(problems: list[Problem]) -> DataDamagedError:
    lines = "\n".join(f"- {p.sentence()}" for p in problems)
    return DataDamagedError(f"De gemte data er beskadiget:\n{lines}", problems)


# ---- one version ------------------------------------------------------------------------------
def _pointer_problems(store: Store, kind: str) -> list[Problem]:
    name = store._current_name(kind)
    if name is None or (store._dir(kind) / name).is_dir():
        return []
    return [
        Problem(
            kind,
            name,
            str(store._dir(kind) / "CURRENT"),
            f"peger på versionen {name}, som ikke findes",
            _repair_current(store, kind, name),
            True,
        )
    ]


def _version_problems(
    store: Store, kind: str, folder: Path, *, current: bool, digest: Callable[[Path], str]
) -> tuple[list[Problem], int]:
    """The problems of one version folder and how many files were checked."""

    def make(path: Path, cause: str) -> Problem:
        repair = _repair_current(store, kind, folder.name) if current else _repair_earlier(folder)
        return Problem(kind, folder.name, str(path), cause, repair, current)

    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [make(meta_path, "filen mangler")], 1
    except (OSError, ValueError) as exc:
        return [make(meta_path, f"filen kan ikke læses ({exc})")], 1
    recorded: dict[str, str] = meta.get("checksums") or {}
    if not recorded:  # a version imported before checksums were recorded
        return _readable_without_checksums(folder, make), 2
    problems = []
    for relative, expected in recorded.items():
        path = store.root / relative
        is_copy = relative.startswith("originals/")
        problem = _original_problem(kind, folder.name, current) if is_copy else make
        try:
            actual = digest(path)
        except FileNotFoundError:
            problems.append(problem(path, "filen mangler"))
            continue
        except OSError as exc:
            problems.append(problem(path, f"filen kan ikke læses ({exc.strerror or exc})"))
            continue
        if actual != expected:
            problems.append(
                problem(
                    path,
                    "indholdet er ændret siden importen (SHA-256 er "
                    f"{actual[:12]}…, men importen gemte {expected[:12]}…)",
                )
            )
    return problems, len(recorded) + 1


def _readable_without_checksums(folder: Path, problem) -> list[Problem]:
    """For old versions: at least the Parquet footer must read."""
    path = folder / "data.parquet"
    try:
        pq.read_metadata(path)
    except FileNotFoundError:
        return [problem(path, "filen mangler")]
    except Exception as exc:  # pyarrow raises several types for a damaged footer
        return [problem(path, f"filen kan ikke læses som Parquet ({exc})")]
    return []


def _repair_current(store: Store, kind: str, damaged: str) -> str:
    """Rollback when the version a rollback would go to is intact, else restore from a backup."""
    earlier = [p for p in store._all_versions(kind) if p.name < damaged]
    if earlier:
        found, _ = _version_problems(store, kind, earlier[-1], current=False, digest=sha256_cached)
        if not found:
            return (
                f"'{CLI} rollback {kind}' (går tilbage til {KIND_LABELS[kind]} fra "
                f"{_imported_at(earlier[-1])}), eller gendan fra en sikkerhedskopi: '{RESTORE}'"
            )
    return f"gendan fra en sikkerhedskopi: '{RESTORE}'"


def _original_problem(kind: str, version: str, current: bool) -> Callable[[Path, str], Problem]:
    """A damaged copy of an imported file: the data are intact, only the provenance is hurt."""

    def make(path: Path, cause: str) -> Problem:
        repair = (
            "data er ikke berørt; hent filen fra en sikkerhedskopi (gendan den i en tom mappe "
            f"med '{CLI} restore' og kopiér {path.name} herover)"
        )
        return Problem(kind, version, str(path), cause, repair, current, data=False)

    return make


def _repair_earlier(folder: Path) -> str:
    """An earlier version is not in use: it only must not become current again."""
    return (
        f"versionen bruges ikke nu, men må ikke blive aktuel igen; fjern den med "
        f"'rm -r {folder}' (så går 'rollback' til versionen før), eller gendan en "
        "sikkerhedskopi i en tom data-mappe"
    )


def _imported_at(folder: Path) -> str:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return folder.name
    return str(meta.get("imported_at") or folder.name).replace("T", " kl. ")
