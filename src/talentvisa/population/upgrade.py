"""Convert a population file from layout version 1 to the current layout, batch by batch.

Version 1 held enums as text and every number as a float; the current layout types them
(``layout.arrow_type``). Batches are read, converted and written one at a time, so a file
larger than memory converts too. Columns the layout does not know (a row key of the
user's) are kept as they are; layout columns the file lacks stay absent (unknown).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from talentvisa.population.layout import (
    COLUMNS,
    LAYOUT_VERSION,
    VERSION_KEY,
    LayoutError,
    arrow_type,
    version_of,
)

BATCH_ROWS = 500_000


def upgrade(
    source: Path,
    target: Path,
    batch_rows: int = BATCH_ROWS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``source`` (layout version 1) to ``target`` in the current layout; the rows
    converted. ``target`` appears only once every batch has converted."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if source.resolve() == target.resolve():
        raise LayoutError(f"{target}: write the upgraded population to another file")
    try:
        parquet = pq.ParquetFile(source)
    except Exception as exc:  # pyarrow raises several kinds for a file that is not Parquet
        raise LayoutError(f"{source}: not a Parquet file ({exc})") from None
    old = parquet.schema_arrow
    version = version_of(old.metadata)
    if version != 1:
        raise LayoutError(
            f"{source} is in population layout version {version}, not 1: nothing to upgrade"
        )
    schema = _upgraded(old)
    partial = target.with_name(f".{target.name}.partial")
    rows = 0
    try:
        with pq.ParquetWriter(partial, schema) as writer:
            for batch in parquet.iter_batches(batch_size=batch_rows):
                try:
                    writer.write_table(_convert(pa.Table.from_batches([batch]), schema))
                except LayoutError as exc:
                    raise LayoutError(f"{source}: {exc}") from None
                rows += batch.num_rows
                if progress is not None:
                    progress(batch.num_rows)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return rows


def _upgraded(old: Any) -> Any:
    """The file's columns in their current types, the layout version in the metadata."""
    import pyarrow as pa

    fields = [
        pa.field(f.name, arrow_type(COLUMNS[f.name])) if f.name in COLUMNS else f for f in old
    ]
    metadata = {k: v for k, v in (old.metadata or {}).items() if k != b"ARROW:schema"}
    metadata[VERSION_KEY] = str(LAYOUT_VERSION).encode()
    return pa.schema(fields, metadata=metadata)


def _convert(batch: Any, schema: Any) -> Any:
    """One batch in the new types; a value the new type cannot hold exactly (a count of
    2.5 people) is an error naming its column, never a silent rounding."""
    import pyarrow as pa

    arrays = []
    for field in schema:
        try:
            arrays.append(batch[field.name].cast(field.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise LayoutError(f"column {field.name}: {exc}") from None
    return pa.Table.from_arrays(arrays, schema=schema)
