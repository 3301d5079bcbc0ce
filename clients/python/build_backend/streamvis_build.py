"""A PEP 517 build backend for the streamvis package with the standard library only.

pip builds a package in a fresh environment with its build requirements installed: with
setuptools or hatchling those would be downloaded. This backend needs none, so
`pip install ./clients/python` works without a network. It packs `src/streamvis` (the .py
files) into a pure-Python wheel whose metadata is pyproject.toml's [project] table.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: pip installs tomli into the build environment (see get_requires_*)
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = 'streamvis'
SOURCE = ROOT / 'src' / PACKAGE
SDIST_FILES = ['pyproject.toml', 'README.md', 'build_backend/streamvis_build.py']


def get_requires_for_build_wheel(config_settings=None):
    return [] if tomllib is not None else ['tomli']


get_requires_for_build_editable = get_requires_for_build_sdist = get_requires_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = {f'{PACKAGE}/{path.relative_to(SOURCE).as_posix()}': path.read_bytes() for path in sorted(SOURCE.rglob('*.py'))}
    return _write_wheel(Path(wheel_directory), files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth file puts the checkout's src/ on sys.path: edits take effect without reinstalling.
    return _write_wheel(Path(wheel_directory), {f'_{PACKAGE}_editable.pth': f'{ROOT / "src"}\n'.encode()})


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = f'{project["name"]}-{project["version"]}'
    paths = [ROOT / name for name in SDIST_FILES] + sorted(SOURCE.rglob('*.py'))
    archive = Path(sdist_directory) / f'{base}.tar.gz'
    with tarfile.open(archive, 'w:gz', format=tarfile.PAX_FORMAT) as sdist:
        for path in paths:
            sdist.add(path, arcname=f'{base}/{path.relative_to(ROOT).as_posix()}')
        info = _metadata(project).encode()
        entry = tarfile.TarInfo(f'{base}/PKG-INFO')
        entry.size = len(info)
        sdist.addfile(entry, io.BytesIO(info))
    return archive.name


def _project() -> dict:
    toml = tomllib
    if toml is None:
        import tomli as toml
    with open(ROOT / 'pyproject.toml', 'rb') as pyproject:
        return toml.load(pyproject)['project']


def _metadata(project: dict) -> str:
    lines = [
        'Metadata-Version: 2.1',
        f'Name: {project["name"]}',
        f'Version: {project["version"]}',
        f'Summary: {project["description"]}',
        f'Requires-Python: {project["requires-python"]}',
        f'License: {project["license"]["text"]}',
    ]
    lines += [f'Requires-Dist: {requirement}' for requirement in project.get('dependencies', [])]
    for extra, requirements in project.get('optional-dependencies', {}).items():
        lines.append(f'Provides-Extra: {extra}')
        lines += [f'Requires-Dist: {requirement}; extra == "{extra}"' for requirement in requirements]
    readme = ROOT / project['readme']
    lines += ['Description-Content-Type: text/markdown', '', readme.read_text(encoding='utf-8')]
    return '\n'.join(lines)


def _write_wheel(directory: Path, files: dict[str, bytes]) -> str:
    project = _project()
    name, version = project['name'], project['version']
    dist_info = f'{name}-{version}.dist-info'
    files = dict(files)
    files[f'{dist_info}/METADATA'] = _metadata(project).encode()
    files[f'{dist_info}/WHEEL'] = b'Wheel-Version: 1.0\nGenerator: streamvis_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n'
    record = [f'{path},sha256={_digest(data)},{len(data)}' for path, data in files.items()]
    files[f'{dist_info}/RECORD'] = ('\n'.join(record + [f'{dist_info}/RECORD,,']) + '\n').encode()
    wheel_name = f'{name}-{version}-py3-none-any.whl'
    with zipfile.ZipFile(directory / wheel_name, 'w', zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
    return wheel_name


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
