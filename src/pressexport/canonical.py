"""The release's canonical YAML, written afresh from the validated model: what the PDF carries
to journalists, with none of the source file's comments (press-office notes)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pressexport.model import Release, ReleaseFile
from pressexport.yamlsource import parse_yaml

#: Fields holding a point in time: written with their offset in site.timezone, so the copy
#: means the same instant without site.yaml beside it.
TIMES = ("date", "updated", "embargo")


def canonical_data(release: Release) -> dict[str, Any]:
    """The release's fields as validated, in the model's order, without defaults left unset."""
    # Validated again from the file's bytes (a millisecond) rather than kept beside every
    # release of an archive: the same bytes give the same model.
    record = ReleaseFile.model_validate(parse_yaml(release.source_bytes, release.source_name).data)
    data = record.model_dump(mode="python", by_alias=True, exclude_defaults=True)
    for name in TIMES:
        value = data.get(name)
        if isinstance(value, datetime) or (name != "date" and isinstance(value, date)):
            data[name] = release.site.localize(value).isoformat()
        elif isinstance(value, date):
            data[name] = value.isoformat()
    return data


def canonical_yaml(release: Release) -> bytes:
    """The release as YAML (UTF-8): block scalars for multi-line text, keys in model order."""
    import yaml

    # libyaml's emitter where it is built in (it writes the same YAML, several times faster).
    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    body = yaml.dump(canonical_data(release), Dumper=Dumper, allow_unicode=True,
                     sort_keys=False, width=100)
    return body.encode("utf-8")
