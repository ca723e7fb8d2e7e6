"""The world `simulator.datasets` derives from a processes file: the latest version of each process, the
awards, their entities and suppliers (`Pool`), one live contract per award (`Contracts`) and the award universe
of the warehouse (`Universe`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from catalogue import (
    Source,
)
from simulator.arrow import id_strings, money_amounts
from simulator.dates import DAY, FIRST_DAY, SNAPSHOT_DAY
from simulator.generator import load_planted_processes
from simulator.parties import COMPANY_WORDS, MALE_FOLDED, Parties, fresh_companies, fresh_people, person_parts
from simulator.plants.plan import Plan
from simulator.processes.rules import MAX_SIGNING_DELAY
from simulator.vocabulary import NO_DEFINIDO, TIMESTAMP_FORMAT, fold_accents
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document, name_match_key

PROCESS_COLUMNS = (
    "id_del_proceso",
    "id_del_portafolio",
    "fecha_de_ultima_publicaci",
    "adjudicado",
    "entidad",
    "nit_entidad",
    "codigo_entidad",
    "departamento_entidad",
    "ciudad_entidad",
    "ordenentidad",
    "codigo_pci",
    "referencia_del_proceso",
    "nombre_del_procedimiento",
    "descripci_n_del_procedimiento",
    "modalidad_de_contratacion",
    "justificaci_n_modalidad_de",
    "tipo_de_contrato",
    "codigo_principal_de_categoria",
    "fecha_de_publicacion_del",
    "fecha_adjudicacion",
    "valor_total_adjudicacion",
    "codigoproveedor",
    "nombre_del_proveedor",
    "nit_del_proveedor_adjudicado",
    "urlproceso",
    "duracion",
    "unidad_de_duracion",
    "numero_de_lotes",
)
DURATION_DAYS = {"día(s)": 1, "Semana(s)": 7, "Mes(es)": 30, "Año(s)": 365}
DOC_HIDDEN, DOC_COMPANY, DOC_PERSON, DOC_FOREIGN = 0, 1, 2, 3


def _latest_versions(path: Path) -> pa.Table:
    """The newest row (by fecha_de_ultima_publicaci) of every process, ordered by process id."""
    table = pq.read_table(path, columns=list(PROCESS_COLUMNS))
    table = table.sort_by([("id_del_proceso", "ascending"), ("fecha_de_ultima_publicaci", "descending")])
    ids = table["id_del_proceso"].to_numpy(zero_copy_only=False)
    first = np.ones(len(ids), bool)
    first[1:] = ids[1:] != ids[:-1]
    return table.filter(pa.array(first))


def days_of(column: pa.ChunkedArray) -> np.ndarray:
    stamps = pc.strptime(column, format=TIMESTAMP_FORMAT, unit="s", error_is_null=True)
    return (pc.fill_null(stamps.cast(pa.int64()), FIRST_DAY * DAY).to_numpy() // DAY).astype(np.int64)


def document_kind(raw: str, key: str | None) -> int:
    if key is None:
        return DOC_FOREIGN if raw.strip().upper().startswith("P") and raw.strip()[1:].isdigit() else DOC_HIDDEN
    return DOC_COMPANY if len(key) == 9 and key[0] in "89" else DOC_PERSON


@dataclass(frozen=True)
class Pool:
    """The suppliers of the processes, one per SECOP supplier code."""

    parties: Parties  # doc 0 when no award shows a usable document
    code: list[str]  # trimmed SECOP supplier code
    raw_doc: list[str]  # a document string as an award writes it ('No Definido' if never shown)
    first_day: np.ndarray  # first award day
    rep: Parties  # legal representative (the person herself for natural persons)

    def known(self, kind: str = "any") -> np.ndarray:
        """Pool indexes of suppliers with a canonical document: "person", "company" or "any"."""
        known = self.parties.doc > 0
        if kind != "any":
            known &= self.parties.person == (kind == "person")
        return np.flatnonzero(known)


LIVE, CANCELLED, DRAFT_CONTRACT = 0, 1, 2  # contract kinds


@dataclass
class Contracts:
    """The contract model shared by contracts, cancelled contracts, fines and execution lines.

    Each awarded process has at most one live contract; cancelled and draft contracts belong to a
    process that also has a live one, so every awarded process is exactly one award of the warehouse.
    """

    award: np.ndarray  # index into world.awards
    ids: list[str]  # CO1.PCCNTR.<n>
    kind: np.ndarray  # LIVE / CANCELLED / DRAFT_CONTRACT
    sign_day: np.ndarray  # signing day (drafts: unsigned, not rendered)
    start_day: np.ndarray
    end_day: np.ndarray
    updated_day: np.ndarray  # ultima_actualizacion; -1 = null (an unlisted cancelled contract: cancelled then)
    listed: np.ndarray  # bool: a cancelled contract listed in the cancelled-contracts dataset (8uyg-q2s6)
    cancel_day: np.ndarray  # its fechamodificacion there, the cancellation date; -1 = null
    value: np.ndarray  # float pesos, exactly `value_text`
    value_text: list[str]  # valor_del_contrato
    state: list[str]  # estado_contrato
    doc_type: list[str]  # tipodocproveedor
    doc_text: list[str | None]  # documento_proveedor when it differs from the award's

    @property
    def live(self) -> np.ndarray:
        return self.kind == LIVE

    @property
    def cancelled(self) -> np.ndarray:
        return self.kind == CANCELLED

    @property
    def draft(self) -> np.ndarray:
        return self.kind == DRAFT_CONTRACT

    def set_value(self, i: int, text: str) -> None:
        self.value_text[i], self.value[i] = text, float(text)


@dataclass
class Universe:
    """The warehouse's award universe (int_awards) in the model: one award per awarded process (index
    into world.awards), with the keys the warehouse derives from the award's strings."""

    key: list[str]  # award_key: the live contract's id, else PROC:<id_del_proceso>
    day: np.ndarray  # award date: the contract's signing day, else the process's award day
    value: np.ndarray  # award value: the contract's, else the process's
    pub_day: np.ndarray  # the process's publication day
    contract: np.ndarray  # index of the live contract, -1 = none
    tagged: np.ndarray  # planted by simulator.generator (any role)
    pool: np.ndarray  # supplier (pool index), -1 = placeholder supplier
    supplier: np.ndarray  # object: supplier key or None
    doc: np.ndarray  # object: canonical document or None
    name: np.ndarray  # object: name match key or None
    doc_type: np.ndarray  # object: the contract's tipodocproveedor, None for a process award
    name_owners: dict[str, set[int]]  # name match key -> suppliers (pool indexes) awarded under it

    @cached_property
    def documents(self) -> frozenset[str]:
        """Every canonical supplier document of an award."""
        return frozenset(d for d in self.doc.tolist() if d is not None)


@dataclass
class World:
    awards: pa.Table  # latest version of awarded processes
    award_supplier: np.ndarray  # pool index, -1 = placeholder supplier
    award_doc_kind: np.ndarray  # DOC_* of the award's supplier document
    award_value: np.ndarray
    award_day: np.ndarray
    award_pub_day: np.ndarray
    open_processes: pa.Table  # latest version of processes without an award
    entities: pa.Table  # one row per codigo_entidad
    entity_nit: np.ndarray  # canonical NIT of each entity
    pool: Pool
    avoid: np.ndarray  # documents fresh parties must not reuse (suppliers and entities)
    tagged: np.ndarray  # bool per award: planted by simulator.generator
    pinned: np.ndarray  # bool per award: its award date and value must not change
    planted: dict[str, dict[str, list[int]]]  # indicator -> role -> award indexes (simulator.generator)
    contracts: Contracts | None = None
    universe: Universe | None = None
    plan: Plan | None = None
    outputs: dict[str, pa.Table] | None = None
    value_planted: set[int] = field(default_factory=set)  # suppliers whose contract value was planted
    new_supplier_boundary: list[int] = field(default_factory=list)  # awards of exactly 500M and 1 peso less
    delivery_planted: set[int] = field(default_factory=set)  # contracts with planted execution lines
    offers_planted: set[int] = field(default_factory=set)  # awards with planted offers

    def parties(
        self, rng: np.random.Generator, n: int, kind: str, supplier_share: float, exclude: Iterable[int] = ()
    ) -> Parties:
        """n people ("person"), companies ("company") or both ("any") in random order, among them
        `supplier_share` of the suppliers of that kind with a known document (at least one if the share
        is positive, at most n/2), documents in `exclude` left out."""
        known = self.pool.known(kind)
        known = known[~np.isin(self.pool.parties.doc[known], np.fromiter(exclude, np.int64))]
        wanted = round(len(known) * supplier_share)
        hits = min(len(known), n // 2, max(1, wanted) if supplier_share > 0 else 0)
        from_pool = rng.choice(known, hits, replace=False)
        fresh = n - len(from_pool)
        people = fresh if kind == "person" else 0 if kind == "company" else int(np.sum(rng.random(fresh) < 0.4))
        parts = [
            self.pool.parties.take(np.sort(from_pool)),
            fresh_people(rng, people, self.avoid),
            fresh_companies(rng, fresh - people, self.avoid),
        ]
        return Parties.concat(parts).take(rng.permutation(n))

    def contract(self) -> Contracts:
        if self.contracts is None:
            raise RuntimeError("the contract model is built before any builder runs")
        return self.contracts

    def output(self, source: Source) -> pa.Table:
        if not self.outputs or source.name not in self.outputs:
            raise RuntimeError(f"{source.name} must be generated first (RECIPES order)")
        return self.outputs[source.name]


def _build_pool(
    rng: np.random.Generator, awards: pa.Table, award_day: np.ndarray, avoid: np.ndarray
) -> tuple[Pool, np.ndarray, np.ndarray]:
    """Supplier pool from the awards; returns (pool, award -> pool index, award document kind)."""
    codes = pc.utf8_trim_whitespace(awards["codigoproveedor"]).to_pylist()
    docs = awards["nit_del_proveedor_adjudicado"].to_pylist()
    names = awards["nombre_del_proveedor"].to_pylist()
    keys: dict[str, str | None] = {}
    index: dict[str, int] = {}
    raw_doc: list[str] = []
    raw_name: list[str] = []
    key_of: list[str | None] = []
    first_day: list[int] = []
    award_supplier = np.full(len(codes), -1, np.int64)
    award_doc_kind = np.zeros(len(codes), np.int8)
    for i, (code, doc, name) in enumerate(zip(codes, docs, names, strict=True)):
        key = keys[doc] if doc in keys else keys.setdefault(doc, canonical_document(doc))
        award_doc_kind[i] = document_kind(doc, key)
        if code.upper() in PLACEHOLDERS:
            continue
        j = index.setdefault(code, len(index))
        award_supplier[i] = j
        if j == len(raw_doc):
            raw_doc.append(doc)
            raw_name.append(name)
            key_of.append(key)
            first_day.append(int(award_day[i]))
        else:
            first_day[j] = min(first_day[j], int(award_day[i]))
            if key_of[j] is None and key is not None:
                raw_doc[j], key_of[j] = doc, key

    n = len(raw_doc)
    doc = np.array([int(k) if k else 0 for k in key_of], np.int64)
    person = np.array(
        [
            document_kind(d, k) == DOC_PERSON if k else not (set(fold_accents(nm.upper()).split()) & COMPANY_WORDS)
            for d, k, nm in zip(raw_doc, key_of, raw_name, strict=True)
        ],
        bool,
    )
    tokens = [nm.upper().split() for nm in raw_name]
    parts = [person_parts(t) if p else (None, None, None, None) for t, p in zip(tokens, person, strict=True)]
    given, middle, s1, s2 = (list(column) for column in zip(*parts, strict=True)) if n else ([], [], [], [])
    male = np.array([g is not None and fold_accents(g) in MALE_FOLDED for g in given], bool)
    parties = Parties(doc, person, male, [" ".join(t) for t in tokens], given, middle, s1, s2, np.arange(n))
    # Companies are represented by a fresh person, natural persons by themselves.
    reps = fresh_people(rng, n, np.concatenate([avoid, doc]))
    rep = Parties.concat([reps, parties]).take(np.where(person, n + np.arange(n), np.arange(n)))
    pool = Pool(parties, list(index), raw_doc, np.array(first_day, np.int64), rep)
    return pool, award_supplier, award_doc_kind


def _typical_entity_rows(latest: pa.Table) -> list[int]:
    """One row per entity code: the one with its most common name spelling, then NIT spelling."""
    codes, names, nits = (latest[c].to_pylist() for c in ("codigo_entidad", "entidad", "nit_entidad"))
    name_count, nit_count = Counter(zip(codes, names, strict=True)), Counter(zip(codes, nits, strict=True))
    best: dict[str, tuple[int, int, int]] = {}
    for i, (code, name, nit) in enumerate(zip(codes, names, nits, strict=True)):
        score = (name_count[code, name], nit_count[code, nit], -i)
        if score > best.get(code, (0, 0, 0)):
            best[code] = score
    return sorted(-score[2] for score in best.values())


def build_world(processes_path: Path, rng: np.random.Generator) -> World:
    latest = _latest_versions(processes_path)
    won = pc.equal(latest["adjudicado"], "Si")
    awards, open_processes = latest.filter(won), latest.filter(pc.invert(won))

    entities = latest.take(pa.array(_typical_entity_rows(latest)))
    entity_nit = np.array([int(canonical_document(v) or 0) for v in entities["nit_entidad"].to_pylist()], np.int64)

    award_day = days_of(awards["fecha_adjudicacion"])
    pool, award_supplier, award_doc_kind = _build_pool(rng, awards, award_day, entity_nit)
    tagged, pinned, planted = _planted_awards(processes_path, awards)
    return World(
        awards=awards,
        award_supplier=award_supplier,
        award_doc_kind=award_doc_kind,
        award_value=pc.cast(awards["valor_total_adjudicacion"], pa.float64()).to_numpy(),
        award_day=award_day,
        award_pub_day=days_of(awards["fecha_de_publicacion_del"]),
        open_processes=open_processes,
        entities=entities,
        entity_nit=entity_nit,
        pool=pool,
        avoid=np.concatenate([entity_nit, pool.parties.doc, pool.rep.doc]),
        tagged=tagged,
        pinned=pinned,
        planted=planted,
    )


def _planted_awards(
    processes_path: Path, awards: pa.Table
) -> tuple[np.ndarray, np.ndarray, dict[str, dict[str, list[int]]]]:
    """The awards simulator.generator planted (ground_truth/planted_processes.csv next to the processes):
    tagged and pinned masks, and indicator -> role -> award indexes. Planted processes whose final
    version is not an award (stale near-misses) are not awards."""
    path = processes_path.parent / "ground_truth" / "planted_processes.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: generate the processes with simulator.generator.generate_processes")
    index = {pid: i for i, pid in enumerate(awards["id_del_proceso"].to_pylist())}
    tagged, pinned = np.zeros(len(index), bool), np.zeros(len(index), bool)
    planted: dict[str, dict[str, list[int]]] = {}
    for indicator, process, role, is_pinned in load_planted_processes(path):
        if process in index:
            i = index[process]
            tagged[i] = True
            pinned[i] |= is_pinned
            planted.setdefault(indicator, {}).setdefault(role, []).append(i)
    return tagged, pinned, planted


LIVE_STATES = ("En ejecución", "terminado", "Modificado", "Cerrado", "Activo", "cedido", "Suspendido")
LIVE_STATE_WEIGHTS = (0.30, 0.22, 0.12, 0.18, 0.10, 0.02, 0.02)
DRAFT_STATES = ("Borrador", "BORRADOR")  # either way not live (compared case-insensitively)
CANCELLED_CONTRACT_STATE = "Cancelado"  # as the cancelled-contracts dataset lists it
UNLISTED_STATES = ("Cancelado", "cancelado", "CANCELADO")  # unlisted cancelled contracts, any case
DRAFT_SHARE = 0.04
UNLISTED_SHARE = 0.25  # cancelled contracts only the contracts dataset shows, per listed one
EXACT_CONTRACT_SHARE = 0.6  # contracts signed for exactly the awarded value
DOC_TYPE_LABELS = (NO_DEFINIDO, "NIT", "Cédula de Ciudadanía", "Otro")  # by DOC_* kind


def _year_end(days: np.ndarray) -> np.ndarray:
    years = np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]") + 1
    return years.astype("datetime64[D]").astype(np.int64) - 1


def build_contract_model(world: World, rng: np.random.Generator, n: int, n_cancelled: int) -> Contracts:
    """n contracts: one live contract for some awarded processes, then cancelled and draft contracts of
    processes that also have a live one (fewer when there are too few awards). `n_cancelled` of the
    cancelled ones are listed in the cancelled-contracts dataset, UNLISTED_SHARE as many more are not.

    A live contract is signed 0-MAX_SIGNING_DELAY days after the award, in the award's year, for the
    awarded value or 0.9-1.05 times it; a pinned award's contract is signed on the award day for the
    awarded value exactly.
    """
    k = len(world.awards)
    n_listed = n_cancelled
    n_cancelled = n_listed + round(UNLISTED_SHARE * n_listed)
    n_draft = round(DRAFT_SHARE * n)
    n_live = min(n - n_cancelled - n_draft, k)
    extra = min(n_cancelled + n_draft, n_live)
    n_cancelled = min(n_cancelled, extra)
    n_draft = extra - n_cancelled
    live = np.sort(rng.choice(k, n_live, replace=False))
    hosts = rng.choice(live, extra, replace=False)
    award = np.concatenate([live, hosts])
    kind = np.repeat([LIVE, CANCELLED, DRAFT_CONTRACT], [n_live, n_cancelled, n_draft])
    order = np.lexsort((kind, award))
    award, kind = award[order], kind[order]
    n = len(award)

    pinned = world.pinned[award] & (kind == LIVE)
    delay = np.where(pinned, 0, rng.integers(0, MAX_SIGNING_DELAY + 1, n))
    day = world.award_day[award]
    sign_day = np.minimum(day + delay, _year_end(day))
    start_day = sign_day + rng.integers(0, 10, n)
    duration = pc.cast(world.awards["duracion"], pa.int64()).to_numpy()[award]
    unit_days = np.array([DURATION_DAYS.get(u, 1) for u in world.awards["unidad_de_duracion"].to_pylist()])[award]
    exact = pinned | (rng.random(n) < EXACT_CONTRACT_SHARE)
    awarded_text = world.awards["valor_total_adjudicacion"].to_pylist()
    money = money_amounts(rng, world.award_value[award] * rng.uniform(0.9, 1.05, n)).to_pylist()
    value_text = [awarded_text[a] if e else m for a, e, m in zip(award.tolist(), exact, money, strict=True)]
    live_state = rng.choice(len(LIVE_STATES), n, p=np.array(LIVE_STATE_WEIGHTS) / sum(LIVE_STATE_WEIGHTS))
    draft_state = (rng.random(n) < 0.2).astype(np.int64)
    cancelled = np.flatnonzero(kind == CANCELLED)
    listed = np.zeros(n, bool)
    listed[rng.choice(cancelled, min(n_listed, len(cancelled)), replace=False)] = True
    unlisted_state = rng.choice(len(UNLISTED_STATES), n, p=(0.5, 0.3, 0.2))

    def state_of(i: int) -> str:
        if kind[i] == LIVE:
            return LIVE_STATES[live_state[i]]
        if kind[i] == DRAFT_CONTRACT:
            return DRAFT_STATES[draft_state[i]]
        return CANCELLED_CONTRACT_STATE if listed[i] else UNLISTED_STATES[unlisted_state[i]]

    state = [state_of(i) for i in range(n)]
    doc_kind = world.award_doc_kind[award]
    foreigner = (doc_kind == DOC_PERSON) & (rng.random(n) < 0.03)
    doc_type = ["Cédula de Extranjería" if f else DOC_TYPE_LABELS[d] for f, d in zip(foreigner, doc_kind, strict=True)]
    updated = np.minimum(np.maximum(sign_day, day) + rng.integers(0, 400, n), SNAPSHOT_DAY)
    return Contracts(
        award=award,
        ids=id_strings(rng, n, 1_500_000, "CO1.PCCNTR.").to_pylist(),
        kind=kind,
        sign_day=sign_day,
        start_day=start_day,
        end_day=start_day + np.maximum(duration * unit_days, 1),
        updated_day=updated,
        listed=listed,
        cancel_day=updated.copy(),
        value=np.array([float(t) for t in value_text]),
        value_text=value_text,
        state=state,
        doc_type=doc_type,
        doc_text=[None] * n,
    )


def _mapped(values: list[str | None], function: Callable[[str], str | None]) -> np.ndarray:
    cache: dict[str, str | None] = {}
    out = np.empty(len(values), object)
    for i, v in enumerate(values):
        if v is not None:
            out[i] = cache[v] if v in cache else cache.setdefault(v, function(v))
    return out


def _code_key(value: str) -> str | None:
    text = value.strip()
    return None if text.upper() in PLACEHOLDERS else text


def build_universe(world: World) -> Universe:
    """The award universe as the warehouse will derive it from the rendered strings."""
    c = world.contract()
    awards = world.awards
    k = len(awards)
    contract = np.full(k, -1, np.int64)
    contract[c.award[c.live]] = np.flatnonzero(c.live)
    has = contract >= 0
    doc = _mapped(awards["nit_del_proveedor_adjudicado"].to_pylist(), canonical_document)
    code = _mapped(awards["codigoproveedor"].to_pylist(), _code_key)
    name = _mapped(awards["nombre_del_proveedor"].to_pylist(), name_match_key)
    supplier = np.array(
        [
            d if d is not None else f"SECOP:{cd}" if cd is not None else f"NAME:{nm}" if nm is not None else None
            for d, cd, nm in zip(doc, code, name, strict=True)
        ],
        object,
    )
    ids = awards["id_del_proceso"].to_pylist()
    key = [c.ids[contract[i]] if has[i] else f"PROC:{ids[i]}" for i in range(k)]
    doc_type = np.array([c.doc_type[contract[i]] if has[i] else None for i in range(k)], object)
    owners: dict[str, set[int]] = {}
    for nm, pool in zip(name.tolist(), world.award_supplier.tolist(), strict=True):
        if nm is not None:
            owners.setdefault(nm, set()).add(pool)
    return Universe(
        key=key,
        day=np.where(has, c.sign_day[np.maximum(contract, 0)], world.award_day),
        value=np.where(has, c.value[np.maximum(contract, 0)], world.award_value),
        pub_day=world.award_pub_day,
        contract=contract,
        tagged=world.tagged,
        pool=world.award_supplier,
        supplier=supplier,
        doc=doc,
        name=name,
        doc_type=doc_type,
        name_owners=owners,
    )
