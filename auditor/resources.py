"""Where the package's data lives: lexicons, playbooks, the bundled sample contracts, and its cache folder.

The first three are data packages inside `auditor` (`auditor.lexicons`, `auditor.playbooks`,
`auditor.samples`; pyproject maps them from the repository's top-level `lexicons/`, `playbooks/` and
`sample_contracts/`), found through `importlib.resources`, so an installed wheel finds them wherever it is
installed and no code walks up from its own file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def lexicon_dir() -> Traversable:
    """The folder of lexicon files (`<id>.toml`) and the jieba user dictionary."""
    return files("auditor.lexicons")


def playbook_dir() -> Traversable:
    """The folder of bundled playbooks (`<name>.yaml`)."""
    return files("auditor.playbooks")


def sample_dir() -> Traversable:
    """The folder of bundled, labelled sample contracts (and their `labels.json`)."""
    return files("auditor.samples")


def sample_names() -> tuple[str, ...]:
    """The bundled sample contracts, by file name, sorted."""
    from auditor.load.detect import SUPPORTED_SUFFIXES

    return tuple(sorted(p.name for p in sample_dir().iterdir() if p.name.lower().endswith(SUPPORTED_SUFFIXES)))


def sample(name: str) -> Traversable:
    """One bundled sample: a full name ("zh_01_douyin_operation.docx") or a prefix ("zh", "en_03").

    A prefix takes the first sample whose name starts with it. Raises KeyError naming the choices.
    """
    names = sample_names()
    chosen = name if name in names else next((n for n in names if n.startswith(name)), None)
    if chosen is None:
        raise KeyError(f"no bundled sample {name!r}; bundled: {', '.join(names)}")
    return sample_dir() / chosen


def cache_dir() -> Path | None:
    """The package's own cache folder, `$XDG_CACHE_HOME/contract-auditor` (else `~/.cache/…`); None when
    there is no home to put it in.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():  # unset, empty or relative: the XDG spec says to ignore it
        try:
            home = Path.home()
        except (RuntimeError, KeyError):  # no home directory (a service account, a bare container)
            return None
        if not home.is_absolute() or not home.is_dir() or home == Path("/"):  # HOME="", gone, or "/"
            return None
        base = str(home / ".cache")
    return Path(base) / "contract-auditor"


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """`write` a file beside its final name, then move it into place, so that no reader sees half a file
    and a failure leaves nothing behind (for the cache folder's copies, which other processes read).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(temporary))
        Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)
