"""National volumes from a small generated world: marked copies (tiles) of every source, streamed.

docs/sources.md#volumes gives the real row counts (8.6 M processes, 5.6 M contracts, 42 M offers,
9.3 M RUES registrations...). A world written by `generate_processes` + `generate_sources` holds every
planted case and every overlap the indicators need, at a few thousand contracts. `plan_tiles` decides
how many copies of it make the wanted number of contracts (tiles) and, per source, how many rows each
tile holds: sources above the world's rows per contract get extra copies (offers: more offers on the
same processes, 1% dearer per copy so each process keeps its cheapest; RUES: registrations of ghost
tiles that match no supplier), sources below it are sampled (processes keep every process a contract
or an offer points at).

Each tile is an independent copy: its identifiers, documents and names are marked in the served
strings, so that after the trusted zone's cleaning no key, document or name of one tile matches
another tile's, while every overlap inside a tile (a supplier's contracts, offers, RUES registrations,
sanctions) and every planted case stays. Marks (nulls, blanks and placeholders stay as they are):
- keys, platform codes and text columns holding identifiers: a private-use character (U+E000 + tile)
  appended (before trailing blanks, which the trusted zone trims), so fixed-width slices of an id stay
  within its tile;
- documents: four tile digits where the canonical number ends (before a check digit), so the
  canonical key becomes `<key><tile:04>`; checked per distinct world value with spark_jobs.identifiers;
  a fine's supplier code that is in fact an award's supplier document is marked as that document;
- names: a `T<tile> ` token in front; notice urls: the tile's four digits after `CO1.NTC.`.

`write_raw` streams the tiles through DuckDB into the lake's raw zone exactly as ingestion writes it
(`RawBatch`: files of `ROWS_PER_FILE` rows, one committed batch per source), so memory stays bounded by
one file. `daily_delta` draws a day's change (a share of rows new, a share changed) as served files for
the replay server.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from catalogue import SECOP_II_CONTRATOS, SOURCES, Source
from orchestration.ingest import ROWS_PER_FILE, RawBatch
from orchestration.lake import Lake, new_batch_id
from simulator import paco_files
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document

NATIONAL_CONTRACTS = 5_600_000
NATIONAL_ROWS = {  # docs/sources.md#volumes; other sources keep the world's rows per contract
    "secop_ii_procesos": 8_600_000,
    "secop_ii_ofertas": 42_000_000,
    "rues_personas": 9_300_000,
    "secop_ii_multas": 500,
    "secop_ii_ejecucion": 9_500,
    "siri_sanciones": 43_000,
}
NATIONAL_RAW_ROWS = 70_000_000  # every source at national volume (these and the world's rows per contract)
SAME_TILE_COPIES = {"secop_ii_ofertas"}  # extra copies are more rows of the same tile; others are ghost tiles
ALWAYS_KEPT = {  # rows a sampled source never drops
    "secop_ii_procesos": "w.id_del_portafolio in (select proceso_de_compra from world_secop_ii_contratos)"
    " or w.id_del_portafolio in (select id_del_proceso_de_compra from world_secop_ii_ofertas)",
}
ID_TEXT_COLUMNS = {  # text columns holding identifiers (keys, codes and urls are marked by their kind)
    "secop_ii_procesos": ("id_del_portafolio", "referencia_del_proceso", "id_adjudicacion", "codigo_entidad"),
    "secop_ii_contratos": ("proceso_de_compra", "referencia_del_contrato", "codigo_entidad"),
    "secop_ii_contratos_cancelados": ("proceso_de_compra", "referencia_del_contrato", "codigo_entidad"),
    "secop_ii_ofertas": (
        "referencia_de_la_oferta",
        "id_del_proceso_de_compra",
        "referencia_del_proceso",
        "c_digo_entidad",
    ),
    "secop_ii_multas": ("id_proceso", "referencia_proceso", "codigo_entidad_creadora"),
    "secop_ii_ejecucion": ("identificadorcontrato",),
    "sigep_puestos_sensibles": ("cod_institucion",),
    "paco_obras_inconclusas": (
        "cod_entidad",
        "cod_obra",
        "numero_contrato_2002",
        "codigo_secop_2002",
        "numero_proceso_2010",
    ),
    "secop_i_procesos": (
        "numero_de_proceso",
        "numero_de_contrato",
        "id_adjudicacion",
        "c_digo_de_la_entidad",
        "numero_de_constancia",
    ),
    "siri_sanciones": ("numero_siri", "numero_proceso"),
    "tvec_ordenes": ("id_entidad",),
}
# Supplier codes that may be a supplier's document (it5q-hg94's code is matched both ways): a value that
# reads as an award's supplier document is marked as that document, any other as an identifier.
CODE_OR_DOCUMENT_COLUMNS = {"secop_ii_multas": ("as_codigo_proveedor_objeto",)}
MAX_TILES = 6_400  # private-use code points U+E000..U+F8FF mark the tiles
TILE_DIGITS = 4
DOCUMENT_KINDS = ("document", "entity_nit", "combined_document")
SPLIT_COLUMNS = ("value", "head", "tail")
BASE_UPDATED_AT = datetime(2026, 1, 31, tzinfo=timezone.utc)  # the tiles' rows were last updated before this


@dataclass(frozen=True)
class Tiling:
    """How one source's rows come from the world: `copies` per tile, each row kept with a share."""

    source: Source
    tiles: int
    copies: int
    first_share: float  # share of copy 0 kept (rows matching ALWAYS_KEPT are always kept)
    extra_share: float  # share of every further copy kept
    same_tile: bool  # further copies belong to the same tile (else to ghost tiles, which match nothing)

    @property
    def marks(self) -> int:
        """Tile marks used: ghost copies take marks of their own."""
        return self.tiles if self.same_tile else self.tiles * self.copies


def tile_count(world_contracts: int, contracts: int) -> int:
    return max(1, round(contracts / world_contracts))


def plan_tiling(
    source: Source, world: dict[str, int], tiles: int, per_contract: dict[str, float], always: int
) -> Tiling:
    """Copies and shares that give `per_contract[source]` rows per contract (the world's own when absent)."""
    world_rows, contracts = world[source.name], world[SECOP_II_CONTRATOS.name]
    wanted = per_contract.get(source.name, world_rows / contracts) * contracts  # rows per tile
    copies = max(1, math.ceil(wanted / world_rows - 1e-9))
    if copies == 1:
        first = (wanted - always) / (world_rows - always) if world_rows > always else 1.0
        tiling = Tiling(source, tiles, 1, min(max(first, 0.0), 1.0), 0.0, False)
    else:
        extra = (wanted - world_rows) / (world_rows * (copies - 1))
        tiling = Tiling(source, tiles, copies, 1.0, extra, source.name in SAME_TILE_COPIES)
    if tiling.marks > MAX_TILES:
        raise ValueError(f"{source.name}: {tiling.marks} tiles, at most {MAX_TILES}")
    return tiling


def national_per_contract(offers_per_contract: float | None = None) -> dict[str, float]:
    per_contract = {name: rows / NATIONAL_CONTRACTS for name, rows in NATIONAL_ROWS.items()}
    if offers_per_contract is not None:
        per_contract["secop_ii_ofertas"] = offers_per_contract
    return per_contract


# --- the world as DuckDB views --------------------------------------------------------------------------


def world_file(world_dir: Path, source: Source) -> Path:
    return world_dir / "paco" / source.dataset_id if source.is_file else world_dir / f"{source.dataset_id}.parquet"


def open_world(world_dir: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, int]]:
    """One view `world_<source>` per generated source (served strings, API field names) and its rows."""
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    rows: dict[str, int] = {}
    for source in SOURCES:
        path = world_file(world_dir, source)
        if source.is_file:
            con.register(f"file_{source.name}", paco_files.read_file(source, path))
            reader = f"file_{source.name}"
        else:
            reader = f"read_parquet('{path}')"
        con.execute(f"create view world_{source.name} as select row_number() over () - 1 as _w, * from {reader}")
        rows[source.name] = con.execute(f"select count(*) from world_{source.name}").fetchall()[0][0]
    return con, rows


def _distinct(con: duckdb.DuckDBPyConnection, source_name: str, column: str) -> set[str]:
    return {v for (v,) in con.execute(f"select distinct {column} from world_{source_name}").fetchall() if v is not None}


def document_splits(con: duckdb.DuckDBPyConnection) -> None:
    """Tables `document_split(value, head, tail)`: a document is marked as `head || <tile:04> || tail`; and
    `code_split`, the same for the codes of CODE_OR_DOCUMENT_COLUMNS that read as an award's supplier
    document (leading zeros dropped)."""
    values = {
        value
        for source in SOURCES
        for column in source.columns
        if column.kind in DOCUMENT_KINDS
        for value in _distinct(con, source.name, column.field_name)
    }
    _split_table(con, "document_split", values)
    awarded = _distinct(con, "secop_ii_contratos", "documento_proveedor")
    awarded |= _distinct(con, "secop_ii_procesos", "nit_del_proveedor_adjudicado")
    award_documents = {canonical_document(v) for v in awarded} - {None}
    codes = {
        value
        for name, columns in CODE_OR_DOCUMENT_COLUMNS.items()
        for column in columns
        for value in _distinct(con, name, column)
        if value.strip().lstrip("0") in award_documents
    }
    _split_table(con, "code_split", codes)


def _split_table(con: duckdb.DuckDBPyConnection, name: str, values: set[str]) -> None:
    splits = [(value, *split) for value in sorted(values) if (split := split_document(value))]
    columns = list(zip(*splits, strict=True)) if splits else [(), (), ()]
    table = pa.table({name: pa.array(column, pa.string()) for name, column in zip(SPLIT_COLUMNS, columns, strict=True)})
    con.register(f"{name}_rows", table)
    con.execute(f"create or replace table {name} as select * from {name}_rows")
    con.unregister(f"{name}_rows")


def split_document(value: str) -> tuple[str, str] | None:
    """Where the tile digits go so that the canonical document gains them at its end; None: not a document.

    A key the tile digits would bring to ten digits gets a `0` first: ten digits may read as a NIT
    with its check digit."""
    key = canonical_document(_combined_number(value))
    if key is None:
        return None
    filler = "0" if len(key) + TILE_DIGITS == 10 else ""
    for cut in range(len(value.rstrip()), 0, -1):
        head, tail = value[:cut], value[cut:]
        if not head[-1].isdigit():
            continue
        for candidate in (tail, "-" + tail.lstrip() if tail.strip().isdigit() else None):
            if candidate is not None and all(
                canonical_document(_combined_number(head + filler + probe + candidate)) == key + filler + probe
                for probe in ("0000", "0137", "9999")
            ):
                return head + filler, candidate
    raise ValueError(f"no tile mark keeps the canonical document of {value!r}")


def _combined_number(value: str) -> str:
    """The trailing number of a `<type> <number>` field (cleaning.combined_number), else the value."""
    found = re.search(r"([0-9][0-9.\s-]*)$", value.strip())
    return found.group(1) if found and not re.fullmatch(r"[0-9.\s-]+", value.strip()) else value


# --- marked rows ----------------------------------------------------------------------------------------


def _kinds(source: Source) -> dict[str, str]:
    kinds = {}
    for column in source.columns:
        name, kind = column.field_name, column.kind
        if kind == "key":
            kinds[name] = "key"
        elif name in CODE_OR_DOCUMENT_COLUMNS.get(source.name, ()):
            kinds[name] = "code_or_document"
        elif kind in ("code", "url") or name in ID_TEXT_COLUMNS.get(source.name, ()):
            kinds[name] = "url" if kind == "url" else "id"
        elif kind in DOCUMENT_KINDS:
            kinds[name] = "document"
        elif kind in ("name", "amount"):
            kinds[name] = kind
    return kinds


PLACEHOLDER_LIST = ", ".join(f"'{p}'" for p in PLACEHOLDERS)
TILE_MARK = "chr((57344 + _g)::integer)"  # a private-use character per tile (`_g`: the tile's mark number)
TILE_TOKEN = "('T' || _g || ' ')"


def common_marks(name: str, tiling: Tiling) -> dict[str, str]:
    """How keys, identifiers and names are marked, in the served strings and in trusted columns alike."""
    copy = "(case when _copy = 0 then '' else '#' || _copy end)" if tiling.same_tile else "''"
    trailing = f"right({name}, length({name}) - length(rtrim({name})))"  # kept after the mark: trimming keeps it
    return {
        "key": f"rtrim({name}) || {TILE_MARK} || {copy} || {trailing}",
        "id": f"rtrim({name}) || {TILE_MARK} || {trailing}",
        "name": f"left({name}, length({name}) - length(ltrim({name}))) || {TILE_TOKEN} || ltrim({name})",
    }


def _marked(name: str, kind: str | None, tiling: Tiling) -> str:
    """The expression of one served column of tile `_g`, copy `_copy`, from world column `name`."""
    plain = f"({name} is null or trim({name}) = '' or upper(trim({name})) in ({PLACEHOLDER_LIST}))"
    digits = f"lpad(_g::varchar, {TILE_DIGITS}, '0')"
    expressions = {
        **common_marks(name, tiling),
        "url": f"replace({name}, 'noticeUID=CO1.NTC.', 'noticeUID=CO1.NTC.' || {digits})",
        "document": f"coalesce(d_{name}.head || {digits} || d_{name}.tail, {name})",
        "code_or_document": f"coalesce(d_{name}.head || {digits} || d_{name}.tail, {name} || {TILE_MARK})",
        "amount": f"coalesce((try_cast({name} as decimal(30, 3)) * (1 + 0.01 * _copy))::varchar, {name})"
        if tiling.same_tile
        else name,
    }
    if kind is None or expressions[kind] == name:
        return f"{name}"
    return f"case when {plain} then {name} else {expressions[kind]} end as {name}"


def tiles_of_world(tiling: Tiling, tile_from: int = 0, tile_to: int | None = None) -> str:
    """The world's rows crossed with tiles [tile_from, tile_to) and copies, sampled; `_g` marks the tile."""
    tile_to = tiling.tiles if tile_to is None else tile_to
    tile = "_tile" if tiling.same_tile else f"_tile + {tiling.tiles} * _copy"
    always = ALWAYS_KEPT.get(tiling.source.name, "false")
    return (
        f"(select w.*, _tile, _copy, {tile} as _g from world_{tiling.source.name} w\n"
        f"  cross join (select range::integer as _tile from range({tile_from}, {tile_to}))\n"
        f"  cross join (select range::integer as _copy from range({tiling.copies}))\n"
        f"  where case when _copy = 0 then ({always}) or ({_kept(tiling.first_share)})"
        f" else {_kept(tiling.extra_share)} end)"
    )


def _row_id(number: str) -> str:
    """Socrata's `:id` form (`row-xxxx~xxxx~xxxx`) of a row number."""
    return f"printf('row-%04x~%04x~%04x', ({number}) // 4294967296, (({number}) // 65536) % 65536, ({number}) % 65536)"


def tiled_sql(tiling: Tiling, world_rows: int, tile_from: int = 0, tile_to: int | None = None) -> str:
    """The rows of tiles [tile_from, tile_to) of one source: the world crossed with tiles and copies, marked,
    sampled, with `_row_id`, `_source_updated_at` and `_source_created_at` as ingestion stores them."""
    kinds = _kinds(tiling.source)
    columns = ",\n  ".join(_marked(c.field_name, kinds.get(c.field_name), tiling) for c in tiling.source.columns)
    split_tables = {"document": "document_split", "code_or_document": "code_split"}
    joins = "".join(
        f"\n  left join {split_tables[kind]} d_{name} on d_{name}.value = w.{name}"
        for name, kind in kinds.items()
        if kind in split_tables
    )
    number = f"((_tile * {tiling.copies} + _copy) * {world_rows} + _w)"
    seconds = f"(hash(_w, _tile, _copy) % {30 * 86_400})"
    before = f"timestamp '{BASE_UPDATED_AT:%Y-%m-%d %H:%M:%S}' - to_seconds({seconds})"
    stamp = f"strftime({before}, '%Y-%m-%dT%H:%M:%S.000Z')"
    return (
        f"select\n  {columns},\n  {_row_id(number)} as _row_id,\n  {stamp} as _source_updated_at,\n"
        f"  {stamp} as _source_created_at\n"
        f"from {tiles_of_world(tiling, tile_from, tile_to)} w{joins}"
    )


def _kept(share: float) -> str:
    if share >= 1:
        return "true"
    return f"hash(w._w, _tile, _copy) % 1000000 < {round(share * 1_000_000)}"


@dataclass(frozen=True)
class NationalWorld:
    """A world and how it is tiled to a number of contracts."""

    con: duckdb.DuckDBPyConnection
    world_rows: dict[str, int]
    tilings: dict[str, Tiling]

    @classmethod
    def open(cls, world_dir: Path, contracts: int, offers_per_contract: float | None = None) -> NationalWorld:
        con, world_rows = open_world(world_dir)
        document_splits(con)
        tiles = tile_count(world_rows[SECOP_II_CONTRATOS.name], contracts)
        per_contract = national_per_contract(offers_per_contract)
        tilings = {}
        for source in SOURCES:
            always = con.execute(
                f"select count(*) from world_{source.name} w where {ALWAYS_KEPT.get(source.name, 'false')}"
            ).fetchall()[0][0]
            tilings[source.name] = plan_tiling(source, world_rows, tiles, per_contract, always)
        return cls(con, world_rows, tilings)

    @property
    def tiles(self) -> int:
        return self.tilings[SECOP_II_CONTRATOS.name].tiles

    def batches(self, source: Source, tile_from: int = 0, tile_to: int | None = None) -> Iterator[pa.Table]:
        """The rows of one source, `ROWS_PER_FILE` at a time."""
        sql = tiled_sql(self.tilings[source.name], self.world_rows[source.name], tile_from, tile_to)
        reader = self.con.sql(sql).to_arrow_reader(ROWS_PER_FILE)
        for batch in reader:
            yield pa.Table.from_batches([batch])

    def write_raw(self, lake: Lake, source: Source) -> int:
        """Land every tile of `source` as one committed raw batch, as a first full load would; rows written."""
        batch = RawBatch(source, lake, new_batch_id(), rows_updated_at=int(BASE_UPDATED_AT.timestamp()))
        for table in self.batches(source):
            batch.add(table)
        batch.commit()
        return sum(f.rows for f in batch.files)


def served(table: pa.Table) -> pa.Table:
    """Raw rows back in the served form the replay server loads (`:id`, `:created_at`, `:updated_at`)."""
    names = {"_row_id": ":id", "_source_created_at": ":created_at", "_source_updated_at": ":updated_at"}
    kept = [c for c in table.column_names if not c.startswith("_") or c in names]
    return table.select(kept).rename_columns([names.get(c, c) for c in kept])


def daily_delta(world: NationalWorld, source: Source, share: float, at: datetime) -> pa.Table:
    """A day's change of one source in served form: half of `share` of its rows changed (a new
    `:updated_at`), half new rows (from a tile beyond the last, with fresh ids and keys)."""
    tiling, world_rows = world.tilings[source.name], world.world_rows[source.name]
    per_tile = world.con.execute(f"select count(*) from ({tiled_sql(tiling, world_rows, 0, 1)})").fetchall()[0][0]
    wanted = max(1, round(per_tile * tiling.tiles * share / 2))
    stamp = f"'{at:%Y-%m-%dT%H:%M:%S}.000Z'"

    def sample(sql: str, replaced: str) -> pa.Table:
        query = f"select * replace ({replaced}) from ({sql}) using sample reservoir({wanted} rows) repeatable (7)"
        return world.con.sql(query).to_arrow_table()

    changed_tiles = min(tiling.tiles, math.ceil(wanted / max(per_tile, 1)) + 1)
    changed = sample(tiled_sql(tiling, world_rows, 0, changed_tiles), f"{stamp} as _source_updated_at")
    fresh = replace(tiling, tiles=tiling.marks + 1)  # a tile of its own: no mark of the existing tiles
    new = sample(
        tiled_sql(fresh, world_rows, tiling.marks, tiling.marks + 1),
        f"{stamp} as _source_updated_at, {stamp} as _source_created_at",
    )
    return served(pa.concat_tables([changed.cast(new.schema), new]))


def listed_dataset(world: NationalWorld, source: Source, delta: pa.Table) -> pa.Table:
    """The whole dataset as the portal lists it after `delta` (served form): every row of the world that
    the delta does not change, then the delta's rows. A register's pull compares the portal's row count
    with the lake's (orchestration/reconcile.py): served alone, a day's change would read as every other
    row deleted."""
    world.con.register("delta_rows", delta)
    try:
        sql = tiled_sql(world.tilings[source.name], world.world_rows[source.name])
        kept = world.con.sql(
            f'select * from ({sql}) where _row_id not in (select ":id" from delta_rows)'
        ).to_arrow_table()
    finally:
        world.con.unregister("delta_rows")
    return pa.concat_tables([served(kept).cast(delta.schema), delta])


def delta_time(days_after: int = 1) -> datetime:
    return BASE_UPDATED_AT + timedelta(days=days_after)
