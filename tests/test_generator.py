"""The synthetic SECOP II processes generator (simulator.generator)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from catalogue import SECOP_II_PROCESOS
from simulator.generator import (
    PLANT_TAGS,
    GeneratedProcesses,
    generate_processes,
    load_ground_truth,
    load_planted_processes,
)
from simulator.processes.direct_share import direct_share_outliers
from simulator.vocabulary import fold_accents
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document

ROWS = 20_000
SMALL = 2_000
Group = tuple[str, str, int]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> GeneratedProcesses:
    return generate_processes(ROWS, tmp_path_factory.mktemp("procesos"), seed=7)


@pytest.fixture(scope="module")
def con(generated) -> duckdb.DuckDBPyConnection:
    """The output as view `p`, plus `canon(raw, key)`: canonical_document of every distinct NIT string."""
    connection = duckdb.connect()
    connection.execute(f"create view p as select * from read_parquet('{generated.path}')")
    raw = connection.execute(
        "select distinct nit_entidad from p union select distinct nit_del_proveedor_adjudicado from p"
    ).fetchall()
    values = [r[0] for r in raw]
    canon = pa.table({"raw": values, "key": [canonical_document(v) for v in values]})
    connection.register("canon_arrow", canon)
    connection.execute("create table canon as select * from canon_arrow")
    return connection


PLACEHOLDER_LIST = ", ".join(f"'{v}'" for v in PLACEHOLDERS)
CODE_KEY = (
    f"case when upper(trim(a.codigoproveedor)) in ({PLACEHOLDER_LIST}) then null "
    "else 'SECOP:' || trim(a.codigoproveedor) end"
)
SUPPLIER_KEY = f"coalesce(s.key, {CODE_KEY})"
LATEST = (
    "select * from p qualify row_number() over "
    "(partition by id_del_proceso order by fecha_de_ultima_publicaci desc) = 1"
)


def award_groups(
    con: duckdb.DuckDBPyConnection,
    *,
    minimum: int = 3,
    dedup: bool = True,
    year: str = "fecha_adjudicacion",
    canonical: bool = True,
) -> dict[Group, int]:
    """Award counts per (entity, supplier, year) with at least `minimum` awards: the repeat-awards rule
    (indicators.md §1), or a naive variant of it (no dedup, another year, raw strings)."""
    entity, supplier = ("e.key", SUPPLIER_KEY) if canonical else ("a.nit_entidad", f"coalesce(s.raw, {CODE_KEY})")
    result = con.execute(
        f"""
        with rows as ({LATEST if dedup else "select * from p"})
        select {entity}, {supplier}, cast(substr(a.{year}, 1, 4) as integer), count(distinct a.id_del_proceso)
        from rows a
        join canon e on e.raw = a.nit_entidad
        left join canon s on s.raw = a.nit_del_proveedor_adjudicado and s.key is not null
        where a.adjudicado = 'Si' and {SUPPLIER_KEY} is not null
        group by all
        having count(distinct a.id_del_proceso) >= {minimum}
        """
    ).fetchall()
    return {(e, s, y): n for e, s, y, n in result}


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


# --- shape and determinism -------------------------------------------------------------------------


def test_columns_types_and_row_count(generated):
    schema = pq.read_schema(generated.path)
    assert schema.names == SECOP_II_PROCESOS.field_names
    assert all(field.type == pa.string() for field in schema)
    assert pq.ParquetFile(generated.path).metadata.num_rows == ROWS == generated.rows
    assert generated.path.name == "p6dx-8zbt.parquet"
    assert generated.ground_truth_path == generated.path.parent / "ground_truth" / "repeat_awards.csv"


def test_same_seed_same_content_other_seed_other_content(tmp_path):
    first = generate_processes(SMALL, tmp_path / "a", seed=11)
    again = generate_processes(SMALL, tmp_path / "b", seed=11)
    other = generate_processes(SMALL, tmp_path / "c", seed=12)
    assert pq.read_table(first.path).equals(pq.read_table(again.path))
    assert first.ground_truth_path.read_bytes() == again.ground_truth_path.read_bytes()
    assert not pq.read_table(first.path).equals(pq.read_table(other.path))
    assert first.repeat_award_groups != other.repeat_award_groups


def test_a_window_of_fixed_awards_is_quieted_by_raising_its_free_ones(tmp_path):
    """The live benchmark's world (10,000 rows, seed 42) holds a background supplier at its floor in an
    organisation's window of mostly fixed awards: neither shrinking it nor outnumbering it can keep it under
    winner_share_of_buyer's share, so the window's free awards are raised (it raised 'nothing can change')."""
    generated = generate_processes(10_000, tmp_path, seed=42)
    assert pq.read_metadata(generated.path).num_rows == 10_000


def test_too_few_rows_is_refused(tmp_path):
    with pytest.raises(ValueError):
        generate_processes(999, tmp_path)


# --- ground truth ----------------------------------------------------------------------------------


def read_ground_truth_counts(path: Path) -> dict[Group, int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "entity_key,supplier_key,award_year,awards"
    rows = [line.split(",") for line in lines[1:]]
    assert rows == sorted(rows, key=lambda r: (r[0], r[1], int(r[2])))
    return {(e, s, int(y)): int(n) for e, s, y, n in rows}


def test_ground_truth_file(generated):
    counts = read_ground_truth_counts(generated.ground_truth_path)
    assert set(counts) == load_ground_truth(generated.ground_truth_path) == generated.repeat_award_groups
    assert all(3 <= n <= 8 and 2018 <= y <= 2025 for (_, _, y), n in counts.items())


def test_ground_truth_equals_independent_recomputation(generated, con):
    recomputed = award_groups(con)
    assert recomputed, "no firing group at all"
    assert recomputed == read_ground_truth_counts(generated.ground_truth_path)


def test_planted_groups_scale_and_mix_keys(generated):
    groups = generated.repeat_award_groups
    assert len(groups) >= round(ROWS * 0.45 / 250) - 1
    code_keyed = [g for g in groups if g[1].startswith("SECOP:")]
    assert 0 < len(code_keyed) < len(groups)


def test_small_run_still_plants_five_groups(tmp_path):
    assert len(generate_processes(1_000, tmp_path).repeat_award_groups) >= 5


def test_planted_groups_are_rendered_in_mixed_formats(generated, con):
    mixed = con.execute(
        """
        select e.key, s.key, count(distinct a.nit_entidad), count(distinct a.nit_del_proveedor_adjudicado)
        from p a join canon e on e.raw = a.nit_entidad join canon s on s.raw = a.nit_del_proveedor_adjudicado
        where a.adjudicado = 'Si' and s.key is not null
        group by all having count(*) >= 3
        """
    ).fetchall()
    by_key = {(e, s): (ne, ns) for e, s, ne, ns in mixed}
    planted = [by_key[(e, s)] for e, s, _ in generated.repeat_award_groups if (e, s) in by_key]
    assert planted
    assert all(n_supplier_strings >= 2 for _, n_supplier_strings in planted)
    assert any(n_entity_strings >= 2 for n_entity_strings, _ in planted)


# --- near-misses: each naive variant of the rule fires where the correct one does not ---------------


def test_no_dedup_fires_on_a_stale_award(generated, con):
    extra = set(award_groups(con, dedup=False)) - generated.repeat_award_groups
    assert extra
    stale = scalar(
        con,
        f"""
        select count(*) from ({LATEST}) f
        where f.adjudicado = 'No' and exists (
            select 1 from p o where o.id_del_proceso = f.id_del_proceso and o.adjudicado = 'Si'
            and o.fecha_de_ultima_publicaci < f.fecha_de_ultima_publicaci and o.codigoproveedor <> 'No Definido')
        """,
    )
    assert stale >= 2


def test_publication_year_fires_on_a_split_over_new_year(generated, con):
    split = con.execute(
        f"""
        select e.key, {SUPPLIER_KEY}, list(distinct cast(substr(a.fecha_adjudicacion, 1, 4) as integer))
        from ({LATEST}) a
        join canon e on e.raw = a.nit_entidad
        left join canon s on s.raw = a.nit_del_proveedor_adjudicado and s.key is not null
        where a.adjudicado = 'Si' and {SUPPLIER_KEY} is not null
        group by all
        having count(*) = 3 and count(distinct substr(a.fecha_adjudicacion, 1, 4)) = 2
           and count(distinct substr(a.fecha_de_publicacion_del, 1, 4)) = 1
        """
    ).fetchall()
    assert len(split) >= 2
    assert not {(e, s, y) for e, s, years in split for y in years} & generated.repeat_award_groups
    assert set(award_groups(con, year="fecha_de_publicacion_del")) - generated.repeat_award_groups


def test_pairs_and_three_entity_spreads_do_not_fire(generated, con):
    pairs = [group for group, n in award_groups(con, minimum=2).items() if n == 2]
    assert pairs and not set(pairs) & generated.repeat_award_groups
    spread = con.execute(
        f"""
        select {SUPPLIER_KEY}, substr(a.fecha_adjudicacion, 1, 4)
        from ({LATEST}) a
        join canon e on e.raw = a.nit_entidad
        left join canon s on s.raw = a.nit_del_proveedor_adjudicado and s.key is not null
        where a.adjudicado = 'Si' and {SUPPLIER_KEY} is not null
        group by all having count(distinct e.key) >= 3 and count(*) = count(distinct e.key)
        """
    ).fetchall()
    assert len(spread) >= 2
    assert not {s for _, s, _ in generated.repeat_award_groups} & {s for s, _ in spread}


def test_placeholder_suppliers_group_but_never_count(generated, con):
    nobody = scalar(
        con,
        """
        select count(*) from (
            select nit_entidad from p
            where adjudicado = 'Si' and codigoproveedor = 'No Definido' and nombre_del_proveedor = 'No Definido'
              and nit_del_proveedor_adjudicado = 'No Definido'
            group by nit_entidad, substr(fecha_adjudicacion, 1, 4) having count(*) >= 3)
        """,
    )
    assert nobody >= 1
    assert all(s and s.upper() not in PLACEHOLDERS and s != "SECOP:" for _, s, _ in generated.repeat_award_groups)


def test_raw_strings_miss_planted_groups(generated, con):
    assert set(award_groups(con, canonical=False)) != generated.repeat_award_groups


# --- realism and quirks ----------------------------------------------------------------------------


def test_identifier_and_url_formats(con):
    assert scalar(con, r"select count(*) from p where not regexp_full_match(id_del_proceso, 'CO1\.REQ\.\d{7,8}')") == 0
    assert scalar(con, r"select count(*) from p where not regexp_full_match(id_del_portafolio, 'CO1\.BDOS\.\d+')") == 0
    for (url,) in con.execute("select urlproceso from p limit 50").fetchall():
        target = json.loads(url)["url"]
        assert re.fullmatch(
            r"https://community\.secop\.gov\.co/Public/Tendering/OpportunityDetail/Index\?"
            r"noticeUID=CO1\.NTC\.\d+&isFromPublicArea=True&isModal=False",
            target,
        )
    assert scalar(con, r"select count(*) from p where not regexp_full_match(nit_entidad, '[89]\d{8,9}')") == 0
    assert (
        scalar(con, r"select count(*) from p where not regexp_full_match(codigo_principal_de_categoria, 'V1\.\d{8}')")
        == 0
    )


def test_dates_and_amounts(con):
    timestamp = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000"
    for column in [c.field_name for c in SECOP_II_PROCESOS.columns if c.kind == "date"]:
        assert scalar(con, f"select count(*) from p where not regexp_full_match({column}, '{timestamp}')") == 0
    assert scalar(con, "select count(*) from p where fecha_de_ultima_publicaci < fecha_de_publicacion_del") == 0
    awarded = "from p where adjudicado = 'Si'"
    assert scalar(con, f"select count(*) {awarded} and fecha_de_publicacion_del >= fecha_adjudicacion") == 0
    assert scalar(con, f"select min(fecha_adjudicacion) >= '2018-01-01' and max(fecha_adjudicacion) < '2026' {awarded}")
    for column in ("precio_base", "valor_total_adjudicacion"):
        assert scalar(con, rf"select count(*) from p where not regexp_full_match({column}, '\d+(\.\d+)?')") == 0
    assert scalar(con, r"select count(*) from p where contains(valor_total_adjudicacion, '.')") > 0
    assert scalar(con, "select count(*) from p where precio_base = '0'") > 0
    median = scalar(con, f"select median(cast(valor_total_adjudicacion as double)) {awarded}")
    assert 5e6 < median < 1.5e8
    assert scalar(con, f"select max(cast(precio_base as double)) {awarded}") > 1e9
    below = scalar(
        con, f"select avg((cast(precio_base as double) >= cast(valor_total_adjudicacion as double))::int) {awarded}"
    )
    assert below > 0.8


def test_row_mix(con):
    total, processes = con.execute("select count(*), count(distinct id_del_proceso) from p").fetchone()
    assert abs((total - processes) / total - 0.15) < 0.01  # older versions
    assert 0.40 < scalar(con, "select avg((adjudicado = 'Si')::int) from p") < 0.50
    unawarded = con.execute(
        """
        select count(*) filter (where id_adjudicacion <> 'No Adjudicado' or valor_total_adjudicacion <> '0'
                                   or fecha_adjudicacion is not null or codigoproveedor <> 'No Definido'
                                   or nit_del_proveedor_adjudicado <> 'No Definido'
                                   or nombre_del_proveedor <> 'No Definido'),
               count(*)
        from p where adjudicado = 'No'
        """
    ).fetchone()
    assert unawarded[0] == 0 and unawarded[1] > 0.4 * total
    assert (
        scalar(con, r"select count(*) from p where adjudicado = 'Si' and not regexp_full_match(id_adjudicacion, '\d+')")
        == 0
    )


def test_older_versions_are_strictly_earlier(con):
    tied = scalar(
        con,
        "select count(*) from (select id_del_proceso from p "
        "group by id_del_proceso, fecha_de_ultima_publicaci having count(*) > 1)",
    )
    assert tied == 0
    states = {r[0] for r in con.execute(
        """
        select o.estado_resumen from p o
        where o.fecha_de_ultima_publicaci
              < (select max(fecha_de_ultima_publicaci) from p f where f.id_del_proceso = o.id_del_proceso)
        """
    ).fetchall()}  # fmt: skip
    assert {"Presentación de oferta", "No Definido"} <= states


def test_entity_quirks(con):
    glued = con.execute(
        "select nit_entidad from canon join p on raw = nit_entidad where length(raw) = 10 limit 1"
    ).fetchall()
    assert glued and len(canonical_document(glued[0][0])) == 9
    both = scalar(
        con,
        "select count(*) from (select key from canon c join p on c.raw = p.nit_entidad group by key "
        "having count(distinct length(raw)) = 2)",
    )
    assert both > 0
    variants = scalar(con, "select max(n) from (select count(distinct entidad) n from p group by codigo_entidad)")
    assert variants >= 3
    assert scalar(con, "select count(*) from p where regexp_matches(entidad, '[ÁÉÍÓÚÑ]')") > 0
    assert scalar(con, "select count(*) from p where entidad like '%  %' or entidad like '% '") > 0
    n_entities = scalar(con, "select count(distinct codigo_entidad) from p")
    assert 300 <= n_entities <= 3_000


def test_supplier_quirks(con):
    awarded = "from p where adjudicado = 'Si'"
    hidden = scalar(
        con,
        f"select count(*) {awarded} and nit_del_proveedor_adjudicado = 'No Definido' "
        "and codigoproveedor <> 'No Definido' and nombre_del_proveedor <> 'No Definido'",
    )
    assert hidden > 0.3 * scalar(con, f"select count(*) {awarded}")
    for pattern in (r"\d{3}\.\d{3}\.\d{3}-\d", r"\d{9}-\d", r"[89]\d{9}", r"10\d{8}\.", r"\s.*|.*\s"):
        assert (
            scalar(con, f"select count(*) {awarded} and regexp_full_match(nit_del_proveedor_adjudicado, '{pattern}')")
            > 0
        )
    assert scalar(con, f"select count(*) {awarded} and regexp_matches(nombre_del_proveedor, '[ÁÉÍÓÚÑáéíóúñ]')") > 0
    for form in ("S.A.S.", " SAS", "S A S", "LTDA"):
        assert scalar(con, f"select count(*) {awarded} and contains(nombre_del_proveedor, '{form}')") > 0


def test_supplier_documents_and_codes_are_consistent(con):
    pairs = con.execute(
        "select distinct s.key, trim(a.codigoproveedor) from p a "
        "join canon s on s.raw = a.nit_del_proveedor_adjudicado where a.adjudicado = 'Si' and s.key is not null"
    ).fetchall()
    documents, codes = {d for d, _ in pairs}, {c for _, c in pairs}
    assert pairs and len(documents) == len(pairs) == len(codes)  # one SECOP code per document and back
    assert all(re.fullmatch(r"\d{6,7}", code) for code in codes)
    assert all(re.fullmatch(r"[1-9]\d{5,7}|[89]\d{8}|10\d{8}", d) for d in documents), "cédula, NIT or 10-digit cédula"


# --- planted processes of the other indicators -----------------------------------------------------

COMPETITIVE = (
    "lower(strip_accents(trim(modalidad_de_contratacion))) not in ('contratacion directa', "
    "'contratacion directa (con ofertas)', 'contratacion regimen especial', "
    "'contratacion regimen especial (con ofertas)')"
)


@pytest.fixture(scope="module")
def planted(generated, con) -> dict[tuple[str, str], set[str]]:
    """(indicator, role) -> planted process ids; view `pl` of the planted-processes file."""
    con.execute(f"create or replace view pl as select * from read_csv('{generated.planted_path}', all_varchar=true)")
    out: dict[tuple[str, str], set[str]] = {}
    for indicator, process, role in con.execute("select indicator_id, process_id, role from pl").fetchall():
        out.setdefault((indicator, role), set()).add(process)
    return out


def test_planted_processes_file(generated, planted):
    lines = generated.planted_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "indicator_id,process_id,role,pinned"
    assert lines[1:] == sorted(lines[1:])
    assert {(i, "fire") for i, _ in PLANT_TAGS} <= set(planted)
    one_window = {"winner_share_of_buyer"}  # one firing window: the award that takes it over half, 2 later ones
    assert all(len(planted[(i, "fire")]) >= 5 for i, _ in PLANT_TAGS if i not in one_window)
    assert len(planted[("winner_share_of_buyer", "fire")]) == 3
    pinned = {tuple(r) for r in csv.reader(lines[1:]) if r[3] == "1"}
    assert pinned and {r[0] for r in pinned} == {"contract_splitting", "winner_share_of_buyer"}
    assert load_planted_processes(generated.planted_path)[0][:3] == tuple(lines[1].split(",")[:3])


def test_planted_processes_are_deterministic(tmp_path):
    first = generate_processes(SMALL, tmp_path / "a", seed=11)
    again = generate_processes(SMALL, tmp_path / "b", seed=11)
    assert first.planted_path.read_bytes() == again.planted_path.read_bytes()


def awards_of(con, process_filter: str) -> dict[str, dict]:
    rows = con.execute(f"select * from ({LATEST}) where adjudicado = 'Si' and {process_filter}")
    names = [d[0] for d in rows.description]
    return {r[names.index("id_del_proceso")]: dict(zip(names, r, strict=True)) for r in rows.fetchall()}


def test_background_competitive_awards_never_fire_process_indicators(con, planted):
    """Outside the plants, a competitive award has at least two unique bidders, the modality's minimum
    days to submit offers and an award / base price ratio outside [0.98, 1]."""
    tagged = {p for (i, _), ps in planted.items() if i != "direct_award_share" for p in ps}
    awards = awards_of(con, COMPETITIVE)
    background = [a for p, a in awards.items() if p not in tagged]
    assert len(background) > 1_000
    minimum = {"minima cuantia": 1, "seleccion abreviada subasta inversa": 3}
    for a in background:
        assert int(a["proveedores_unicos_con"]) >= 2
        days = np.datetime64(a["fecha_de_recepcion_de"][:10]) - np.datetime64(a["fecha_de_publicacion_del"][:10])
        folded = fold_accents(a["modalidad_de_contratacion"]).lower().strip()
        assert days.astype(int) >= minimum.get(folded, 15), a["id_del_proceso"]
        base, value = float(a["precio_base"]), float(a["valor_total_adjudicacion"])
        assert base == 0 or not 0.98 <= value / base <= 1.0


def test_process_plants_sit_on_both_sides_of_each_rule(con, planted):
    single = awards_of(con, COMPETITIVE + " and coalesce(proveedores_unicos_con, respuestas_al_procedimiento) = '1'")
    assert set(single) == planted[("single_bidder", "fire")]
    near = awards_of(con, "true")
    near = [near[p] for p in planted[("single_bidder", "near")]]
    assert any(a["modalidad_de_contratacion"] == "CONTRATACIÓN DIRECTA" for a in near)  # folded: direct
    assert any(a["proveedores_unicos_con"] is None for a in near)  # responses decide: 2
    shorts = awards_of(con, "true")
    days = {
        p: (np.datetime64(a["fecha_de_recepcion_de"][:10]) - np.datetime64(a["fecha_de_publicacion_del"][:10])).astype(
            int
        )
        for p, a in shorts.items()
        if p in planted[("short_submission_period", "near")]
    }
    assert {15, 3, 1} <= set(days.values())  # exactly the minimum of LP, SASI and mínima cuantía
    ratios = {
        float(a["valor_total_adjudicacion"]) / float(a["precio_base"])
        for p, a in shorts.items()
        if p in planted[("award_close_to_base_price", "fire")]
    }
    assert {1.0, 0.98} <= ratios and all(0.98 <= r <= 1.0 for r in ratios)


def test_background_pairs_never_split_a_contract(con, planted):
    """Outside the plants, two awards of one (entity, supplier) are at least 50 days apart."""
    tagged = {p for (i, _), ps in planted.items() if i != "direct_award_share" for p in ps}
    rows = con.execute(
        f"""
        select a.id_del_proceso, e.key, {SUPPLIER_KEY}, cast(left(a.fecha_adjudicacion, 10) as date)
        from ({LATEST}) a
        join canon e on e.raw = a.nit_entidad
        left join canon s on s.raw = a.nit_del_proveedor_adjudicado and s.key is not null
        where a.adjudicado = 'Si' and {SUPPLIER_KEY} is not null
        """
    ).fetchall()
    last: dict[tuple[str, str], object] = {}
    for process, entity, supplier, day in sorted(rows, key=lambda r: (r[1], r[2], r[3])):
        if process in tagged:
            continue
        previous = last.get((entity, supplier))
        assert previous is None or (day - previous).days >= 50, process
        last[(entity, supplier)] = day


def test_direct_award_share_plants_whole_entities(con, planted):
    fired = planted[("direct_award_share", "fire")]
    entities = con.execute(
        f"select distinct left(nit_entidad, 9) from ({LATEST}) where id_del_proceso in "
        f"({', '.join(repr(p) for p in fired)})"
    ).fetchall()
    assert 1 <= len(entities) <= 3
    for (nit,) in entities:
        awards = awards_of(con, f"left(nit_entidad, 9) = '{nit}'")
        assert len(awards) >= 20 and set(awards) <= fired
        assert not any(awards_of(con, f"left(nit_entidad, 9) = '{nit}' and {COMPETITIVE}"))


def test_direct_share_outliers_rule():
    awards = np.array([20, 30, 25, 40, 22, 21, 19, 50])
    noncompetitive = np.array([4, 9, 6, 12, 7, 21, 19, 10])
    order = np.array(["T", "T", "T", "T", "T", "T", "T", "N"])
    no_sector = np.full(len(awards), None, object)
    flagged = direct_share_outliers(awards, noncompetitive, order, no_sector)
    assert flagged.tolist() == [False, False, False, False, False, True, False, False]  # 19 awards: not compared
    alone = direct_share_outliers(awards, noncompetitive, order, no_sector, include_self=False)
    assert alone.tolist() == flagged.tolist()


def test_direct_share_outliers_by_order_and_sector():
    """Sector 'a' (five entities, shares 0.2, 0.2, 0.2, 0.4, 0.8: fence 0.7) flags its 0.8, which its order (fence
    1.2 over all seven) would not; the two entities of no sector are judged against the order: 0.9 is not above."""
    awards = np.full(7, 20)
    noncompetitive = np.array([4, 4, 4, 8, 16, 18, 6])
    sector = np.array(["a", "a", "a", "a", "a", None, None], object)
    flagged = direct_share_outliers(awards, noncompetitive, np.full(7, "T"), sector)
    assert flagged.tolist() == [False, False, False, False, True, False, False]
