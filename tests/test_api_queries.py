"""The read API on a small crafted warehouse (fast): keyset paging covers every row once in every order, the
filters (places folded, documents in any spelling), the cursors and the 4xx answers, the downloads, and every
SQL variant the API builds runs on DuckDB and uses only what Redshift has (tests/redshift_sql.py)."""

from __future__ import annotations

import base64
import csv
import io
import itertools
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pyarrow.parquet as pq
import pytest

from api import flag_list, queries
from api.documents import entity_keys, supplier_keys
from api.queries import MAX_PAGE_SIZE
from tests.api_server import every_page, fetch, get_json, serve_api
from tests.redshift_sql import REDSHIFT_FUNCTIONS, called_functions, constructs_redshift_lacks
from texts import text
from warehouse.reader import DuckDBReader

ENTITIES = [
    ("899999061", "ALCALDÍA DE SOPÓ", "CUNDINAMARCA", "SOPÓ"),
    ("800100200", "GOBERNACIÓN DEL CHOCÓ", "CHOCÓ", "QUIBDÓ"),
]
SUPPLIERS = [("900123456", "ACME S.A.S."), ("SECOP:77", "JUAN PÉREZ"), ("52123456", "MARÍA GÓMEZ")]
AWARDS = 24
# Why single_bidder was not evaluated: its reasons on the latest run date, an older build's sentence before.
NOT_EVALUATED = [{"kind": "source_empty", "source": "secop_ii_procesos"}]
OLDER_NOT_EVALUATED = (
    "raw/secop_ii_procesos failed on 2026-01-14T06:00:00+00:00: HTTP 500 from https://www.datos.gov.co"
)
RISKS = (Decimal("0"), Decimal("0.250000"), Decimal("0.500000"))


def award_rows() -> list[dict]:
    """24 awards with ties in every sort column, a null date and a null value, two entities and places."""
    rows = []
    for i in range(AWARDS):
        entity_key, entity_name, department, municipality = ENTITIES[i % 2]
        supplier_key, supplier_name = SUPPLIERS[i % 3]
        risk = RISKS[(i // 2) % 3]
        rows.append(
            {
                "award_key": f"A{i:02d}",
                "process_id": "P00" if i < 2 else f"P{i:02d}",
                "entity_key": entity_key,
                "entity_name": entity_name,
                "supplier_key": supplier_key,
                "supplier_name": supplier_name,
                "award_date": None if i == 5 else date(2023, 1, 1) + timedelta(days=40 * (i // 2)),
                "award_value": None if i == 7 else Decimal(1000 * (i % 4)),
                "flag_count": 0 if risk == 0 else 1 if risk == RISKS[1] else 2,
                "risk_score": risk,
                "secop_url": f"https://community.secop.gov.co/Public/Tendering/Index?id=A{i:02d}",
                "department": " Chocó " if i == 9 else department,  # a spelling the filter folds
                "municipality": municipality,
            }
        )
    return rows


def flag_rows(awards: list[dict]) -> list[dict]:
    flags = []
    for award in awards:
        indicators = ["repeat_awards", "single_bidder"][: award["flag_count"]]
        for indicator_id in indicators:
            evidence = (
                {"award_year": 2023, "group_awards": 4, "threshold": 3}
                if indicator_id == "repeat_awards"
                else {"modality": "Licitación pública"}
            )
            flags.append(
                {
                    "award_key": award["award_key"],
                    "indicator_id": indicator_id,
                    "indicator_group": "other" if indicator_id == "repeat_awards" else "competition",
                    "unit_key": award["award_key"],
                    "entity_key": award["entity_key"],
                    "supplier_key": award["supplier_key"],
                    "award_date": award["award_date"],
                    "award_value": award["award_value"],
                    "excess_amount": None,
                    "match_method": "document",
                    "evidence": json.dumps(evidence),
                }
            )
    return flags


def create_table(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict], types: dict[str, str]) -> None:
    con.execute(f"create table {name} ({', '.join(f'{column} {kind}' for column, kind in types.items())})")
    columns = list(types)
    con.executemany(
        f"insert into {name} values ({', '.join('?' for _ in columns)})", [[row[c] for c in columns] for row in rows]
    )


AWARD_TYPES = {
    "award_key": "varchar",
    "process_id": "varchar",
    "entity_key": "varchar",
    "entity_name": "varchar",
    "supplier_key": "varchar",
    "supplier_name": "varchar",
    "award_date": "date",
    "award_value": "decimal(30, 3)",
    "flag_count": "integer",
    "risk_score": "decimal(9, 6)",
    "secop_url": "varchar",
    "department": "varchar",
    "municipality": "varchar",
}
FLAG_TYPES = {
    "award_key": "varchar",
    "indicator_id": "varchar",
    "indicator_group": "varchar",
    "unit_key": "varchar",
    "entity_key": "varchar",
    "supplier_key": "varchar",
    "award_date": "date",
    "award_value": "decimal(30, 3)",
    "excess_amount": "decimal(30, 3)",
    "match_method": "varchar",
    "evidence": "varchar",
}
ALERT_TYPES = {**FLAG_TYPES, "secop_url": "varchar", "published_at": "timestamp", "detected_at": "timestamp"}
ALERT_TYPES |= {"entity_name": "varchar", "supplier_name": "varchar"}
DETAIL_COLUMNS = ("entity_name", "supplier_name", "risk_score", "department", "municipality", "secop_url")
AWARD_LINE_COLUMNS = ("award_key", "entity_key", "entity_name", "supplier_key", "supplier_name", "award_date")
AWARD_LINE_COLUMNS += ("award_value", "flag_count", "risk_score", "secop_url")
PROFILE_TYPES = {"section": "varchar", "position": "integer", "indicator_id": "varchar"}
PROFILE_TYPES |= {column: AWARD_TYPES[column] for column in AWARD_LINE_COLUMNS}
PROFILE_TYPES |= {"awards": "bigint", "awarded_value": "decimal(38, 3)", "flagged_awards": "bigint"}
PROFILE_TYPES |= {"flagged_value": "decimal(38, 3)", "flags": "bigint"}


def profile_rows(kind: str, awards: list[dict], flags: list[dict], top: int = 10) -> list[dict]:
    """The profile lines of every entity or supplier (what dbt's party_profile computes), worked out in Python."""
    other = "supplier" if kind == "entity" else "entity"
    lines = []
    for key in sorted({award[f"{kind}_key"] for award in awards}):
        mine = [award for award in awards if award[f"{kind}_key"] == key]
        by_indicator: dict[str, list[dict]] = {}
        for flag in flags:
            if flag[f"{kind}_key"] == key:
                by_indicator.setdefault(flag["indicator_id"], []).append(flag)
        ranked = sorted(by_indicator.items(), key=lambda item: (-len(item[1]), item[0]))
        for position, (indicator_id, fired) in enumerate(ranked, 1):
            value = sum(flag["award_value"] or 0 for flag in fired)
            lines.append(
                {"section": "indicator", "position": position, "indicator_id": indicator_id, "flags": len(fired)}
                | {"flagged_awards": len({flag["award_key"] for flag in fired}), "flagged_value": value}
            )
        risky = [award for award in mine if award["flag_count"] > 0]
        risky.sort(key=lambda award: (-award["risk_score"], -award["flag_count"], award["award_key"]))
        for position, award in enumerate(risky[:top], 1):
            lines.append({**award, "section": "award", "position": position})
        counterparts: dict[str, list[dict]] = {}
        for award in mine:
            counterparts.setdefault(award[f"{other}_key"], []).append(award)
        totals = [
            {
                f"{other}_key": other_key,
                f"{other}_name": max(award[f"{other}_name"] for award in theirs),
                "awards": len(theirs),
                "awarded_value": sum(award["award_value"] or 0 for award in theirs),
                "flagged_awards": sum(1 for award in theirs if award["flag_count"] > 0),
                "flagged_value": sum(award["award_value"] or 0 for award in theirs if award["flag_count"] > 0),
                "flags": sum(award["flag_count"] for award in theirs),
            }
            for other_key, theirs in counterparts.items()
        ]
        totals.sort(key=lambda row: (-row["flags"], -row["awards"], row[f"{other}_key"]))
        lines += [{**row, "section": "counterpart", "position": n} for n, row in enumerate(totals[:top], 1)]
        for line in lines:
            line.setdefault(f"{kind}_key", key)
    return [{column: line.get(column) for column in PROFILE_TYPES} for line in lines]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("api") / "warehouse.duckdb")
    awards = award_rows()
    flags = flag_rows(awards)
    with duckdb.connect(path) as con:
        create_table(con, "fct_contract_risk", awards, AWARD_TYPES)
        create_table(con, "fct_contract_flags", flags, FLAG_TYPES)
        by_key = {award["award_key"]: award for award in awards}
        built_at = {"built_at": datetime(2026, 1, 15, 9)}
        details = [
            flag | {column: by_key[flag["award_key"]][column] for column in DETAIL_COLUMNS} | built_at for flag in flags
        ]
        detail_types = FLAG_TYPES | {c: AWARD_TYPES[c] for c in DETAIL_COLUMNS} | {"built_at": "timestamp"}
        create_table(con, "fct_flag_details", details, detail_types)
        for kind in ("entity", "supplier"):
            create_table(con, f"fct_{kind}_profile", profile_rows(kind, awards, flags), PROFILE_TYPES)
        base = datetime(2026, 1, 15, 10)
        alerts = [
            {**details[i], "secop_url": None, "published_at": base, "detected_at": base + timedelta(minutes=i // 2)}
            for i in range(7)
        ]
        create_table(con, "fct_contract_alerts", alerts, ALERT_TYPES)
        con.execute("alter table fct_contract_alerts add column lag_seconds bigint")
        for kind, values in (("entity", ENTITIES), ("supplier", SUPPLIERS)):
            rows = [
                {
                    f"{kind}_key": v[0],
                    f"{kind}_name": v[1],
                    "department": v[2] if len(v) > 2 else None,
                    "municipality": None,
                }
                | {"risk_score": Decimal(rank) / 10, "risk_rank": len(values) - rank, "peers": len(values)}
                for rank, v in enumerate(values)
            ]
            types = {f"{kind}_key": "varchar", f"{kind}_name": "varchar", "department": "varchar"}
            types |= {
                "municipality": "varchar",
                "risk_score": "decimal(9, 6)",
                "risk_rank": "integer",
                "peers": "integer",
            }
            create_table(con, f"dim_{kind}", rows, types)
        indicators = [{"indicator_id": "repeat_awards"}, {"indicator_id": "single_bidder"}]
        create_table(con, "indicators", indicators, {"indicator_id": "varchar"})
        con.execute(
            "create table fct_indicator_summary as select indicator_id, case when indicator_id = 'repeat_awards'"
            " then 'other' else 'competition' end as indicator_group, run_date, 3 as flagged_awards,"
            " case when indicator_id = 'single_bidder' then case when run_date = date '2026-01-15' then ?"
            " else ? end end as not_evaluated_reason from indicators"
            " cross join (values (date '2026-01-14'), (date '2026-01-15')) as days(run_date)",
            [json.dumps(NOT_EVALUATED), OLDER_NOT_EVALUATED],
        )
    return path


@pytest.fixture(scope="module")
def api(crafted):
    reader = DuckDBReader(crafted)
    with serve_api(reader, max_download_rows=20, batch_rows=3) as url:  # downloads in several batches
        yield f"{url}/api/v1"
    reader.close()


def marts(crafted: str, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(crafted, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


SORT_COLUMNS = {"risk": "risk_score", "date": "award_date", "value": "award_value"}


@pytest.mark.parametrize(("sort", "order"), list(itertools.product(["risk", "date", "value"], ["desc", "asc"])))
def test_flag_pages_cover_every_flag_once_in_order(api, crafted, sort, order):
    items = every_page(f"{api}/flags", sort=sort, order=order, page_size=4)
    keys = [(item["award_key"], item["indicator_id"]) for item in items]
    assert sorted(keys) == sorted(marts(crafted, "select award_key, indicator_id from fct_contract_flags"))
    assert len(set(keys)) == len(keys)
    nulls_low = {"date": "0000", "value": -1}.get(sort)
    values = [item[SORT_COLUMNS[sort]] if item[SORT_COLUMNS[sort]] is not None else nulls_low for item in items]
    assert values == sorted(values, reverse=order == "desc")


PARTY_LISTS = {"entities": ("entity_key", "dim_entity"), "suppliers": ("supplier_key", "dim_supplier")}


@pytest.mark.parametrize("party", PARTY_LISTS)
@pytest.mark.parametrize("sort", ["flags", "flagged_value", "value", "risk"])
def test_party_pages_cover_every_party_once_with_its_totals(api, crafted, party, sort):
    key, dimension = PARTY_LISTS[party]
    items = every_page(f"{api}/{party}", sort=sort, page_size=1)
    assert sorted(item[key] for item in items) == sorted(k for (k,) in marts(crafted, f"select {key} from {dimension}"))
    for item in items:
        [(awards, value, flags)] = marts(
            crafted,
            f"select count(*), sum(award_value), sum(flag_count) from fct_contract_risk where {key} = ?",
            [item[key]],
        )
        assert (item["awards"], item["awarded_value"], item["flags"]) == (awards, float(value), flags)
    sort_column = {"flags": "flags", "flagged_value": "flagged_value", "value": "awarded_value", "risk": "risk_score"}[
        sort
    ]
    assert [item[sort_column] for item in items] == sorted((item[sort_column] for item in items), reverse=True)


def flagged(api: str, **params) -> set[tuple[str, str]]:
    return {(item["award_key"], item["indicator_id"]) for item in every_page(f"{api}/flags", page_size=1000, **params)}


def flags_where(crafted: str, condition: str, params: list | None = None) -> set[tuple[str, str]]:
    sql = (
        "select flags.award_key, flags.indicator_id from fct_contract_flags as flags"
        f" inner join fct_contract_risk as risk on risk.award_key = flags.award_key where {condition}"
    )
    return set(marts(crafted, sql, params))


def test_flag_filters(api, crafted):
    choco = flags_where(crafted, "trim(risk.department) in ('CHOCÓ', 'Chocó')")
    assert choco and choco != flagged(api)
    for spelling in ("CHOCÓ", "choco", " Chocó "):
        assert flagged(api, department=spelling) == choco, spelling
    assert flagged(api, municipality="quibdo") == flags_where(crafted, "risk.municipality = 'QUIBDÓ'")
    acme = flags_where(crafted, "flags.supplier_key = '900123456'")
    for spelling in ("900123456", "900.123.456-8", "9001234568", " 900.123.456 - 8 "):
        assert flagged(api, supplier=spelling) == acme, spelling
    assert flagged(api, supplier="SECOP:77") == flags_where(crafted, "flags.supplier_key = 'SECOP:77'")
    assert flagged(api, entity="899.999.061-9") == flags_where(crafted, "flags.entity_key = '899999061'")
    assert flagged(api, indicator="single_bidder") == flags_where(crafted, "flags.indicator_id = 'single_bidder'")
    assert flagged(api, min_risk=0.5) == flags_where(crafted, "risk.risk_score >= 0.5")
    window = flags_where(crafted, "flags.award_date between date '2023-03-01' and date '2023-08-01'")
    assert window and flagged(api, date_from="2023-03-01", date_to="2023-08-01") == window
    both = flagged(api, department="choco", indicator="repeat_awards", supplier="900123456")
    assert both == choco & acme & flags_where(crafted, "flags.indicator_id = 'repeat_awards'")
    assert flagged(api, supplier="123") == set()  # a well-formed document nobody has: an empty list, not a 404


def test_a_flag_carries_its_reason_evidence_link_and_names(api):
    [item] = get_json(f"{api}/flags", indicator="single_bidder", page_size=1, lang="en")["items"]
    assert item["reason"].startswith(item["entity_name"]) and "Licitación pública" in item["reason"]
    assert item["evidence"] == {"modality": "Licitación pública"}
    assert item["secop_url"].startswith("https://community.secop.gov.co/")
    assert item["indicator_name"] == text("labels.indicator.single_bidder", "en")
    [spanish] = get_json(f"{api}/flags", indicator="single_bidder", page_size=1)["items"]
    assert spanish["reason"] != item["reason"] and spanish["indicator_name"] == text("labels.indicator.single_bidder")


def test_alerts_in_detection_order_and_polling(api, crafted):
    items = every_page(f"{api}/alerts", page_size=2)
    expected = marts(
        crafted, "select award_key, indicator_id from fct_contract_alerts order by detected_at, award_key, indicator_id"
    )
    assert [(item["award_key"], item["indicator_id"]) for item in items] == expected
    page = get_json(f"{api}/alerts", page_size=1000)
    assert len(page["items"]) == len(expected)
    again = get_json(f"{api}/alerts", cursor=page["next_cursor"])  # nothing new since: empty, same cursor
    assert again["items"] == [] and again["next_cursor"] == page["next_cursor"]
    later = get_json(f"{api}/alerts", since="2026-01-15T10:02:00")["items"]
    assert later == [item for item in items if item["detected_at"] >= "2026-01-15T10:02:00"] and later


def test_profiles_by_any_spelling(api, crafted):
    profile = get_json(f"{api}/suppliers/900.123.456-8")
    assert profile["supplier"]["supplier_key"] == "900123456"
    assert profile == get_json(f"{api}/suppliers/9001234568")
    by_indicator = dict(
        marts(
            crafted,
            "select indicator_id, count(*) from fct_contract_flags where supplier_key = ? group by 1",
            ["900123456"],
        )
    )
    assert {row["indicator_id"]: row["flags"] for row in profile["flags_by_indicator"]} == by_indicator
    assert {row["entity_key"] for row in profile["buyers"]} == {"899999061", "800100200"}
    risks = [award["risk_score"] for award in profile["riskiest_awards"]]
    assert risks == sorted(risks, reverse=True) and min(risks) > 0
    linked = get_json(api.removesuffix("/api/v1") + profile["flags_url"])["items"]
    assert len(linked) == sum(by_indicator.values()) and {item["supplier_key"] for item in linked} == {"900123456"}
    entity = get_json(f"{api}/entities/8999990619")
    assert entity["entity"]["entity_key"] == "899999061" and entity["suppliers"]


def test_a_contract_with_its_flags_and_process(api):
    answer = get_json(f"{api}/contracts/A04", lang="en")
    assert answer["award"]["award_key"] == "A04" and answer["award"]["risk_score"] == 0.5
    assert [flag["indicator_id"] for flag in answer["flags"]] == ["repeat_awards", "single_bidder"]
    assert all(flag["reason"] and flag["evidence"] for flag in answer["flags"])
    assert [award["award_key"] for award in answer["process"]["awards"]] == ["A04"]
    process = get_json(f"{api}/contracts/A01")["process"]  # A00 and A01 are awards of one process
    assert process["process_id"] == "P00" and [award["award_key"] for award in process["awards"]] == ["A00", "A01"]


BAD_REQUESTS = [
    ("contracts/NOPE", {}, 404, "unknown_award"),
    ("entities/899999062", {}, 404, "unknown_entity"),
    ("suppliers/800000001", {}, 404, "unknown_supplier"),
    ("suppliers/ACME", {}, 422, "malformed_document"),
    ("entities/P12000051198", {}, 422, "malformed_nit"),
    ("flags", {"supplier": "no definido"}, 422, "malformed_document"),
    ("flags", {"date_from": "2024-02-30"}, 422, "bad_date"),
    ("flags", {"date_from": "2024-03-01", "date_to": "2024-02-01"}, 422, "bad_date_range"),
    ("flags", {"page_size": MAX_PAGE_SIZE + 1}, 422, "page_size_too_large"),
    ("flags", {"page_size": 0}, 422, "too_small"),
    ("flags", {"indicator": "no_such_indicator"}, 422, "unknown_indicator"),
    ("flags", {"cursor": "bm90IGEgY3Vyc29y"}, 422, "bad_cursor"),
    ("flags", {"sort": "name"}, 422, "bad_choice"),
    ("flags", {"min_risk": "high"}, 422, "not_a_number"),
    ("flags", {"format": "xlsx"}, 422, "bad_choice"),
    ("flags", {"format": "csv"}, 422, "too_many_rows"),  # 24 flags, 20 allowed in this test's API
    ("entities", {"year": "1999"}, 422, "too_small"),
    ("alerts", {"since": "last week"}, 422, "bad_timestamp"),
    ("indicators", {"run_date": "2020-01-01"}, 404, "unknown_run_date"),
    ("nowhere", {}, 404, "not_found"),
]


@pytest.mark.parametrize(("path", "params", "status", "code"), BAD_REQUESTS)
def test_bad_requests_get_a_clear_4xx_in_the_chosen_language(api, path, params, status, code):
    spanish = get_json(f"{api}/{path}", status, **params)["error"]
    english = get_json(f"{api}/{path}", status, lang="en", **params)["error"]
    assert spanish["code"] == english["code"] == code
    assert spanish["message"] != english["message"]
    assert "{" not in spanish["message"] and "{" not in english["message"]


def test_a_cursor_is_checked_strictly(api):
    page = get_json(f"{api}/flags", sort="risk", page_size=2)
    good = page["next_cursor"]
    assert get_json(f"{api}/flags", sort="risk", page_size=2, cursor=good)["items"]
    assert get_json(f"{api}/flags", 422, sort="date", cursor=good)["error"]["code"] == "bad_cursor"  # another order
    assert get_json(f"{api}/entities", 422, cursor=good)["error"]["code"] == "bad_cursor"  # another list
    for after in (["x", "A00", "repeat_awards"], ["0.5", "A00"], [0.5, "A00", "repeat_awards"], ["0.5", 1, "x"]):
        body = json.dumps({"list": "flags", "sort": "risk", "order": "desc", "after": after}).encode()
        forged = base64.urlsafe_b64encode(body).decode().rstrip("=")
        assert get_json(f"{api}/flags", 422, cursor=forged)["error"]["code"] == "bad_cursor", after


def test_downloads_equal_the_json_pages(api):
    pages = every_page(f"{api}/flags", indicator="repeat_awards", sort="date", page_size=5, lang="en")
    status, headers, body = fetch(f"{api}/flags", indicator="repeat_awards", sort="date", format="csv", lang="en")
    assert status == 200 and headers["content-disposition"] == 'attachment; filename="secop_flags.csv"'
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["award_key"] for row in rows] == [item["award_key"] for item in pages]
    assert [row["reason"] for row in rows] == [item["reason"] for item in pages]
    assert [json.loads(row["evidence"]) for row in rows] == [item["evidence"] for item in pages]
    status, headers, body = fetch(f"{api}/flags", indicator="repeat_awards", sort="date", format="parquet", lang="en")
    assert status == 200 and headers["content-disposition"] == 'attachment; filename="secop_flags.parquet"'
    table = pq.read_table(io.BytesIO(body)).to_pylist()
    assert [row["reason"] for row in table] == [item["reason"] for item in pages]
    assert [row["award_value"] for row in table] == [item["award_value"] for item in pages]
    assert [row["award_date"] and row["award_date"].isoformat() for row in table] == [
        item["award_date"] for item in pages
    ]
    parties = every_page(f"{api}/suppliers", page_size=1)
    status, _, body = fetch(f"{api}/suppliers", format="parquet")
    assert pq.read_table(io.BytesIO(body)).to_pylist() == parties


def test_documents_are_read_by_the_cleaning_rules():
    assert entity_keys("899.999.061-9") == ["899999061"]
    assert entity_keys("8999990619") == ["899999061", "8999990619"]  # a NIT with check digit, or a ten-digit id
    assert entity_keys("no definido") == [] and entity_keys("P12000051198") == []
    assert supplier_keys("SECOP:717") == ["SECOP:717"] and supplier_keys("NAME:ACME SAS") == ["NAME:ACME SAS"]


HOSTILE = "x' or '1'='1"


def every_query() -> list[queries.Query]:
    """Every SQL the API builds: each filter alone and all together, every sort, order, with and without a
    cursor and a limit (the conditions are independent fragments joined by `and`)."""
    filters = [
        queries.FlagFilters(),
        queries.FlagFilters(indicator=HOSTILE),
        queries.FlagFilters(entity_key=HOSTILE),
        queries.FlagFilters(supplier_key=HOSTILE),
        queries.FlagFilters(department=(HOSTILE,)),
        queries.FlagFilters(municipality=(HOSTILE, HOSTILE)),
        queries.FlagFilters(date_from=date(2024, 1, 1)),
        queries.FlagFilters(date_to=date(2024, 1, 1)),
        queries.FlagFilters(min_risk=0.5),
        queries.FlagFilters(HOSTILE, HOSTILE, HOSTILE, (HOSTILE,), (HOSTILE,), date(2023, 1, 1), date(2024, 1, 1), 0.5),
    ]
    found = []
    for sort, descending in itertools.product(queries.FLAG_SORTS, (True, False)):
        order = queries.flag_order(sort, descending)
        after = [{"date": "2024-01-01", "risk": "0.5", "value": "10.000"}[sort], HOSTILE, HOSTILE]
        for flag_filters in filters:
            found += [queries.flags(flag_filters, order), queries.flags(flag_filters, order, after, 10)]
        found.append(queries.count(queries.flags(filters[-1], order)))
    party_filters = [queries.PartyFilters(), queries.PartyFilters((HOSTILE,), (HOSTILE, HOSTILE), 2024)]
    for party, sort, descending in itertools.product(queries.PARTIES.values(), queries.PARTY_SORTS, (True, False)):
        order = queries.party_order(party, sort, descending)
        after = [{"flags": 1, "risk": "0.5"}.get(sort, "10.000"), HOSTILE]
        for party_filter in party_filters:
            found += [
                queries.parties(party, party_filter, order),
                queries.parties(party, party_filter, order, after, 10),
            ]
        found += [
            queries.party(party, [HOSTILE]),
            queries.party(party, [HOSTILE, HOSTILE]),
            queries.party_profile(party, HOSTILE),
        ]
    for since, after in itertools.product(
        (None, "2026-01-15T10:00:00"), (None, ["2026-01-15T10:00:00", HOSTILE, HOSTILE])
    ):
        found += [queries.alerts(since, after, 10), queries.alerts(since, None, None)]
    found += [queries.award(HOSTILE), queries.award_flags(HOSTILE), queries.award_process(HOSTILE)]
    found += [queries.INDICATOR_IDS, queries.RUN_DATES, queries.indicator_summary(date(2026, 1, 15))]
    found += [queries.place_spellings("department"), queries.place_spellings("municipality")]
    return found + [flag_list.BUILT_AT, flag_list.EVERY_FLAG]


def test_every_query_binds_user_values_runs_on_duckdb_and_uses_only_redshift_sql(crafted):
    built = every_query()
    assert len(built) > 150
    reader = DuckDBReader(crafted)
    flags = flag_list.FlagList(reader)
    try:
        for query in built:
            assert HOSTILE not in query.sql and "1'='1" not in query.sql
            assert query.sql.count("?") == len(query.params), query.sql
            reader.rows(query.sql, query.params)  # runs
            if "as sort_value\nfrom fct_flag_details" in query.sql:  # a list of flags (or its count): on the copy too
                flags.rows(query)
            assert called_functions(query.sql) <= REDSHIFT_FUNCTIONS, query.sql
            assert not constructs_redshift_lacks(query.sql), query.sql
    finally:
        reader.close()


def test_why_an_indicator_was_not_evaluated_is_rendered_in_the_language(api):
    """The reasons kept as records render in the request's language, beside the records themselves; an older
    build's sentence is shown as it is; the download carries the rendered reason."""
    for lang, sentence in (
        ("es", "la fuente secop_ii_procesos no tiene filas en la zona confiable"),
        ("en", "source secop_ii_procesos holds no rows in the trusted zone"),
    ):
        items = {i["indicator_id"]: i for i in get_json(f"{api}/indicators", lang=lang)["indicators"]}
        assert (items["single_bidder"]["not_evaluated_reason"], items["repeat_awards"]["not_evaluated_reason"]) == (
            sentence,
            None,
        )
        assert items["single_bidder"]["not_evaluated_evidence"] == NOT_EVALUATED
    [older] = [
        i for i in get_json(f"{api}/indicators", run_date="2026-01-14")["indicators"] if i["not_evaluated_reason"]
    ]
    assert (older["not_evaluated_reason"], older["not_evaluated_evidence"]) == (OLDER_NOT_EVALUATED, None)
    status, _, body = fetch(f"{api}/indicators", format="csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert status == 200
    assert {row["indicator_id"]: row["not_evaluated_reason"] for row in rows}["single_bidder"] == (
        "la fuente secop_ii_procesos no tiene filas en la zona confiable"
    )


def test_the_flag_list_is_copied_again_after_a_build(crafted, tmp_path):
    path = str(tmp_path / "warehouse.duckdb")

    def build(award_key: str, built_at: str) -> None:
        """fct_flag_details: one of the crafted flags, as `award_key`."""
        with duckdb.connect(path) as con:
            con.execute(f"attach '{crafted}' as crafted (read_only)")
            con.execute(
                "create or replace table fct_flag_details as select * replace (? as award_key,"
                " cast(? as timestamp) as built_at) from crafted.fct_flag_details limit 1",
                [award_key, built_at],
            )
            con.execute("detach crafted")

    def listed(flags: flag_list.FlagList) -> list[str]:
        query = queries.flags(queries.FlagFilters(), queries.flag_order("risk", True))
        return [row["award_key"] for row in flags.rows(query)]

    build("A1", "2026-01-14 05:00:00")
    reader = DuckDBReader(path)
    fresh, cached = flag_list.FlagList(reader, check_seconds=0), flag_list.FlagList(reader, check_seconds=3600)
    assert listed(fresh) == listed(cached) == ["A1"]
    reader.close()  # the build needs the file
    build("A2", "2026-01-15 05:00:00")
    assert listed(fresh) == ["A2"]  # built_at changed: copied again
    assert listed(cached) == ["A1"]  # not looked at again before its check_seconds
    reader.close()
