"""The mixed world's boundary rows of the sources other than processes (docs/simulator.md#the-mixed-world).

A planted world keeps its background from ever firing; a mixed one adds, on top of the planted cases, the
populations the rules' edges are made of, written as the portal writes them: `mix_sources` changes
cells of the generated contracts and appends rows to the registers. It only touches free awards (no
planted process, no supplier a plant took, no planted contract value, offer or delivery), so every
planted flag stays; what the mixed rows flag is whatever simulator.truth computes on the written files.

- Person lists (pep_supplier, sensitive_post_supplier): suppliers of every document type (NIT, cédulas,
  passport, 'Otro', 'No Definido', null, empty, odd case and accents) listed in SIGEP, posts starting on
  the award day, PEP status ending exactly the grace years before it.
- Documents: lookalike spellings of one number (dots, dashes, check digit, spaces, leading zeros) in
  every register and in the contracts; placeholder documents in the contracts.
- Fines (barred_fines): a supplier code and a contract whose supplier has a document, codes that read
  as documents (leading zeros), revoked fines in any case and accents that would otherwise bar, fines
  dated on an award day and exactly `fines_lookback_years` before it, fines naming neither.
- Registers of PACO: works lines in a contractor role (any case) or not, dated on an award day or the
  day before, fiscal liability rows, by document or, without one, by name.
- Ties: sanctions effective on an award day or ending on it, registrations and cancellations on an
  award day (and an undated registration beside a cancelled one), contracts cancelled on an award day,
  equal cheapest offers registered at the same instant, the winner's own cheaper offer under another
  spelling of its document or under its code only.
- Losing bidders (excessive_unsuccessful_bids): suppliers that win one process and lose 15 to 17 others.
- Amounts at the thresholds: contract value exactly 1 + value_additions_soft_pct or _max_pct times the awarded value
  (and one peso more), single- and multi-lot; exactly new_supplier_min_value with registrations
  new_supplier_max_days and a day either side before the award; split pairs summing exactly to the
  contract-splitting threshold of the first award's modality and year (and one peso more); deliveries exactly
  at the tolerance.
- A background that fires: fines, sanctions, PEP and post listings, cancellations, cheaper offers and
  late deliveries of random free suppliers at random dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from catalogue import (
    PACO_OBRAS_INCONCLUSAS,
    PACO_RESPONSABILIDAD_FISCAL,
    RUES_PERSONAS,
    SECOP_II_CONTRATOS,
    SECOP_II_CONTRATOS_CANCELADOS,
    SECOP_II_EJECUCION,
    SECOP_II_MULTAS,
    SECOP_II_OFERTAS,
    SIGEP_PEP,
    SIGEP_PUESTOS_SENSIBLES,
    SIRI_SANCIONES,
)
from simulator.dates import FIRST_DAY, RUN_DAY, SNAPSHOT_DAY
from simulator.plants.plan import RULES, add_years, as_date
from simulator.processes.rules import splitting_smmlv, splitting_threshold
from simulator.world import World
from spark_jobs.identifiers import PLACEHOLDERS, canonical_document, dian_check_digit

DOC_TYPES = (
    "NIT", "nit ", "Cédula de Ciudadanía", "CEDULA DE CIUDADANIA", "cédula de ciudadanía ", "Cédula de Extranjería",
    "CÉDULA DE EXTRANJERÍA", "Pasaporte", "PASAPORTE", "Tarjeta de Identidad", "Permiso por Protección Temporal",
    "Otro", "OTRO", "No Definido", "NO DEFINIDO", None, "",
)  # fmt: skip
REVOKED = ("Revocada", "REVOCADA", "revocada", " Revocada ", "Revócada", "REVÓCADA")
CANCELLED_STATES = ("CANCELADA", "Cancelada", " cancelada ")
SHARE = 0.01  # free awards per population
LOSSES = 15  # processes a losing bidder loses at least (the planted ones bid 16 times)


def lookalike(doc: str, k: int) -> str:
    """The k-th spelling of a document number: plain, dots, spaces, leading zeros, check digit, dashes."""
    forms = (
        doc,
        f"{int(doc):,}".replace(",", "."),
        f" {doc} ",
        "00" + doc,
        f"{doc}-{dian_check_digit(doc)}" if len(doc) <= 15 else doc,
        f"{doc[:3]}-{doc[3:]}",
    )
    return forms[k % len(forms)]


def iso(day: int, time: str = "") -> str:
    return as_date(day).isoformat() + time


class Mixer:
    """The generated tables, their free awards and the rows added to them."""

    def __init__(self, world: World, tables: dict[str, pa.Table], used: set[int], rng: np.random.Generator):
        self.world, self.tables, self.rng = world, tables, rng
        u, self.c = world.universe, world.contract()
        contracts = tables[SECOP_II_CONTRATOS.name]
        self.row_of = {cid: i for i, cid in enumerate(contracts["id_contrato"].to_pylist())}
        self.cells: dict[str, list] = {
            name: contracts[name].to_pylist()
            for name in ("tipodocproveedor", "documento_proveedor", "codigo_proveedor", "valor_del_contrato")
        }
        self.names = contracts["proveedor_adjudicado"].to_pylist()
        busy = set(world.delivery_planted)
        free = [
            a
            for a in range(len(u.key))
            if not u.tagged[a] and u.pool[a] >= 0 and int(u.pool[a]) not in used and a not in world.offers_planted
            and u.contract[a] >= 0 and int(u.contract[a]) not in busy and u.day[a] > FIRST_DAY + 400
        ]  # fmt: skip
        self.free = rng.permutation(np.array(free, np.int64)).tolist()
        self.doc = {a: canonical_document(self.cells["documento_proveedor"][self.row(a)]) for a in self.free}
        self.added: dict[str, list[dict]] = {}
        self.serial = 0

    def row(self, award: int) -> int:
        return self.row_of[self.c.ids[self.world.universe.contract[award]]]

    def take(self, share: float = SHARE, documented: bool = False, least: int = 8) -> list[int]:
        """The next free awards: `share` of all of them, at least `least` while any is left; with a
        supplier document if asked."""
        n = max(least, int(share * len(self.doc)))
        out: list[int] = []
        while self.free and len(out) < n:
            a = self.free.pop()
            if not documented or (self.doc[a] and self.doc[a].isdigit()):
                out.append(a)
        return out

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"

    def add(self, source: str, **fields: str | None) -> None:
        self.added.setdefault(source, []).append(fields)

    def offer(self, award: int, who: dict[str, str | None], amount: Decimal, time: str) -> None:
        """An offer of `who` (doc, code, name) for `amount` in the award's process, registered three days before
        the award at `time`."""
        self.add(
            SECOP_II_OFERTAS.name,
            identificador_de_la_oferta=self.next_id("MIX-OF-"),
            id_del_proceso_de_compra=self.world.awards["id_del_portafolio"][award].as_py(),
            valor_de_la_oferta=str(amount),
            moneda="COP",
            fecha_de_registro=iso(int(self.world.universe.day[award]) - 3, time),
            nit_del_proveedor=who["doc"],
            c_digo_proveedor=who["code"],
            nombre_proveedor=who["name"],
        )

    def value(self, award: int) -> Decimal:
        """The award's value in whole pesos."""
        return Decimal(str(self.world.universe.value[award])).quantize(Decimal(1))

    def supplier(self, award: int) -> dict[str, str | None]:
        """The award's supplier fields as its contract writes them."""
        r = self.row(award)
        return {
            "doc": self.cells["documento_proveedor"][r],
            "code": self.cells["codigo_proveedor"][r],
            "name": self.names[r],
        }

    def registration(
        self, doc: str, state: str, registered: int | None, cancelled: int | None, by_nit: bool = False
    ) -> None:
        """A RUES registration of a document (as a NIT or an id number), its days or none."""
        self.add(
            RUES_PERSONAS.name,
            codigo_camara="99",
            matricula=self.next_id("MX"),
            nit=doc if by_nit else None,
            numero_identificacion=None if by_nit else doc,
            estado_matricula=state,
            fecha_matricula=None if registered is None else iso(registered),
            fecha_cancelacion=None if cancelled is None else iso(cancelled),
            fecha_actualizacion=iso(SNAPSHOT_DAY),
        )

    def cancelled_contract(self, award: int, day: int) -> None:
        """A listed cancelled contract of the award's supplier, cancelled on `day`."""
        s = self.supplier(award)
        self.add(
            SECOP_II_CONTRATOS_CANCELADOS.name,
            id_contrato=self.next_id("CO1.PCCNTR.88"),
            documento_proveedor=s["doc"],
            codigo_proveedor=s["code"],
            proveedor_adjudicado=s["name"],
            estado_contrato="Cancelado",
            fechamodificacion=iso(day, "T00:00:00.000"),
        )

    def tables_out(self) -> dict[str, pa.Table]:
        """The tables with the changed contract cells and the appended rows (copies of random rows of
        the same table, the given fields overridden)."""
        out = dict(self.tables)
        contracts = out[SECOP_II_CONTRATOS.name]
        for name, values in self.cells.items():
            at = contracts.schema.get_field_index(name)
            contracts = contracts.set_column(at, name, pa.array(values, pa.string()))
        out[SECOP_II_CONTRATOS.name] = contracts
        for source, rows in self.added.items():
            table = out[source]
            templates = table.take(pa.array(self.rng.integers(0, len(table), len(rows)))).to_pylist()
            extra = pa.Table.from_pylist([{**t, **r} for t, r in zip(templates, rows, strict=True)], table.schema)
            out[source] = pa.concat_tables([table, extra]).take(pa.array(self.rng.permutation(len(table) + len(rows))))
        return out


def _person_lists(m: Mixer) -> None:
    """Every document type in the PEP and sensitive-posts lists, posts from the award day, PEP status
    ending exactly pep_grace_years before the award (and a day earlier)."""
    u, grace = m.world.universe, RULES.pep_grace_years
    for k, a in enumerate(m.take(2 * SHARE, documented=True, least=2 * len(DOC_TYPES))):
        m.cells["tipodocproveedor"][m.row(a)] = DOC_TYPES[k % len(DOC_TYPES)]
        doc, day = m.doc[a], int(u.day[a])
        end = (None, iso(add_years(day, -grace)), iso(add_years(day, -grace) - 1), iso(day + 30))[k % 4]
        start = day - (0, 1, 3000, 200)[k % 4]
        m.add(
            SIGEP_PEP.name, numero_documento=lookalike(doc, k), fecha_vinculacion=iso(start), fecha_desvinculacion=end
        )
        post_start = day + (0, -1, 1)[k % 3]
        m.add(
            SIGEP_PUESTOS_SENSIBLES.name,
            identificacion_funcionario=lookalike(doc, k + 1),
            fecha_vinculacion=iso(post_start),
        )


def _documents(m: Mixer) -> None:
    """Contracts that write their supplier's document in another spelling, or as a placeholder."""
    placeholders = [p.title() for p in PLACEHOLDERS] + list(PLACEHOLDERS) + [" n/a ", ""]
    for k, a in enumerate(m.take(documented=True)):
        r = m.row(a)
        m.cells["documento_proveedor"][r] = placeholders[k % len(placeholders)] if k % 2 else lookalike(m.doc[a], k)


def _fines(m: Mixer) -> None:
    """Fines with a code and a documented contract, codes that read as documents, revoked fines,
    fines on an award day and at the lookback boundary, fines naming neither code nor contract."""
    u, lookback = m.world.universe, RULES.fines_lookback_years
    for k, a in enumerate(m.take(2 * SHARE, documented=True, least=3 * len(REVOKED))):
        s, day, contract = m.supplier(a), int(u.day[a]), m.c.ids[u.contract[a]]
        kind = k % 7
        event = (day - 30, day, add_years(day, -lookback), add_years(day, -lookback) - 1, day - 10, day - 5, day - 90)[
            kind
        ]
        code = {4: "000" + m.doc[a], 5: None, 6: "No Definido"}.get(kind, s["code"])
        fields = {
            "id_contrato": {4: "No definido", 5: m.next_id("CO1.PCCNTR.77")}.get(kind, contract),
            "as_codigo_proveedor_objeto": code,
            "nombre_proveedor_objeto_de": s["name"],
            "fecha_evento": iso(event, "T00:00:00.000"),
            "numero_de_acto": m.next_id("RESOLUCIÓN MIXTA "),
            "numero_de_version": "1",
        }
        m.add(SECOP_II_MULTAS.name, estado="En firme", **fields)
        if k % 3 == 0:  # the same fine, revoked, under another act
            revoked = {**fields, "numero_de_acto": m.next_id("RESOLUCIÓN MIXTA ")}
            m.add(SECOP_II_MULTAS.name, estado=REVOKED[k // 3 % len(REVOKED)], **revoked)


def _registers(m: Mixer) -> None:
    """SIRI sanctions effective on an award day or ending on it; RUES registrations and cancellations
    on an award day; contracts cancelled on an award day; each supplier's document in another spelling."""
    u = m.world.universe
    for k, a in enumerate(m.take(documented=True)):
        doc, day = m.doc[a], int(u.day[a])
        years, months, days = ((1, 0, 0), (0, 6, 0), (0, 0, 0), (0, 0, 1))[k % 4]
        effect = (day, day + 1, day - 30, day - 1)[k % 4]
        m.add(
            SIRI_SANCIONES.name,
            numero_identificacion=lookalike(doc, k),
            fecha_efectos_juridicos=iso(effect),
            duracion_anos=str(years),
            duracion_mes=str(months),
            duracion_dias=str(days),
        )
    for k, a in enumerate(m.take(documented=True)):
        doc, day = m.doc[a], int(u.day[a])
        cancelled = (day, day - 1, day + 1, None)[k % 4]
        state = CANCELLED_STATES[k % 3] if cancelled is not None else "ACTIVA"
        m.registration(lookalike(doc, k), state, day - 700, cancelled, by_nit=bool(k % 2))
    for k, a in enumerate(m.take(documented=True)):
        doc, day, name = m.doc[a], int(u.day[a]), m.supplier(a)["name"]
        role = ("CONTRATISTA", "Contratista", " contratista ", "INTERVENTOR")[k % 4]
        m.add(
            PACO_OBRAS_INCONCLUSAS.name,
            rol_2006=role,
            identificacion_2006=lookalike(doc, k) if k % 3 else "",
            nombre_2006=name.title() if name else name,
            fecha_2011=iso(day - (0, 1, 400)[k % 3]),
        )
        prefix = "NIT " if len(doc) == 9 and doc[0] in "89" else "CC "
        m.add(
            PACO_RESPONSABILIDAD_FISCAL.name,
            responsable_fiscal=name,
            tipo_y_num_docuemento=prefix + lookalike(doc, k) if k % 3 else "",
            tr=("I", "S", " I ")[k % 3],
        )
    for k, a in enumerate(m.take(documented=True)):  # cancelled before the award beside an undated registration
        day = int(u.day[a])
        m.registration(lookalike(m.doc[a], k), "CANCELADA", day - 900, day - 10)
        m.registration(lookalike(m.doc[a], k), "ACTIVA", None, None)
    for k, a in enumerate(m.take()):
        m.cancelled_contract(a, int(u.day[a]) - k % 2)


def _amounts(m: Mixer) -> None:
    """Contract values exactly at value_additions' soft level and cap (and a peso above), single- and multi-lot;
    exactly the new-supplier minimum with registrations at and around new_supplier_max_days."""
    u, values = m.world.universe, m.world.awards["valor_total_adjudicacion"].to_pylist()
    levels = [Decimal(str(1 + pct)) for pct in (RULES.value_additions_soft_pct, RULES.value_additions_max_pct)]
    for k, a in enumerate(m.take()):
        if not values[a] or not values[a].replace(".", "").isdigit():
            continue
        raised = Decimal(values[a]) * levels[k // 2 % 2] + (k % 2)
        m.cells["valor_del_contrato"][m.row(a)] = str(raised)  # multi-lot processes among them
    days = (0, 1, RULES.new_supplier_max_days - 1, RULES.new_supplier_max_days, RULES.new_supplier_max_days + 1)
    for k, a in enumerate(m.take(documented=True)):
        m.cells["valor_del_contrato"][m.row(a)] = str(RULES.new_supplier_min_value - (k % 3 == 2))
        m.registration(lookalike(m.doc[a], k), "ACTIVA", int(u.day[a]) - days[k % len(days)], None)


def _split_pairs(m: Mixer) -> Iterator[tuple[int, int]]:
    """Pairs of free awards of one entity and supplier within contract_splitting_window_days."""
    u = m.world.universe
    entity = pc.utf8_trim_whitespace(m.world.awards["nit_entidad"]).to_pylist()
    seen: dict[tuple, int] = {}
    for a in sorted(m.free, key=lambda a: int(u.day[a])):
        group = (canonical_document(entity[a]), u.supplier[a])
        b = seen.get(group)
        if b is not None and int(u.day[a]) - int(u.day[b]) <= RULES.contract_splitting_window_days:
            del seen[group]
            yield b, a
        else:
            seen[group] = a


def _splitting(m: Mixer) -> None:
    """Split pairs worth exactly the first award's ceiling (its modality's, its year's) together or a peso more:
    no flag, or a flag for the first award (and for the second too unless it is of a year with a higher wage)."""
    day, modality = m.world.universe.day, m.world.awards["modalidad_de_contratacion"].to_pylist()
    pairs = list(_split_pairs(m))
    for k, (a, b) in enumerate(pairs[: max(8, len(pairs) // 2)]):
        half = int(splitting_threshold(int(day[a]), splitting_smmlv(modality[a]))) // 2
        m.cells["valor_del_contrato"][m.row(a)] = str(half)
        m.cells["valor_del_contrato"][m.row(b)] = str(half + k % 2)
        m.free.remove(a)
        m.free.remove(b)


def _offers(m: Mixer) -> None:
    """Per process (single- or multi-lot), two offers registered at the same instant: the winner's and
    another bidder's at the same amount (equal cheapest), another bidder's a peso under, or the winner's
    own a peso under, written without its document (its code only) or with its document spelled
    otherwise, beside another bidder's a peso over."""
    pool = m.world.pool
    for k, a in enumerate(m.take(2 * SHARE, documented=True)):
        s, value = m.supplier(a), m.value(a)
        other = int(m.rng.integers(0, len(pool.code)))
        bidder = {"doc": pool.raw_doc[other], "code": pool.code[other], "name": pool.parties.name[other]}
        kind = k % 4
        if kind < 2:
            bids = ((s, value), (bidder, value - kind))
        else:
            own = {**s, "doc": "No Definido" if kind == 2 else lookalike(m.doc[a], k)}
            bids = ((own, value - 1), (bidder, value + 1))
        for who, amount in bids:
            m.offer(a, who, amount, "T09:30:00.000")


def _losing_bidders(m: Mixer) -> None:
    """Suppliers that win their own award and lose LOSSES (and one, two more) other free processes, offering
    half as much again as each process's winner (whose offer is written too, so the bid counts): frequent
    bidders whose win ratio may fall under the lower fence of excessive_unsuccessful_bids."""
    for k, a in enumerate(m.take(0, documented=True, least=3)):
        bidder = m.supplier(a)
        m.offer(a, bidder, m.value(a), "T10:00:00.000")
        for b in m.take(0, documented=True, least=LOSSES + k):
            m.offer(b, m.supplier(b), m.value(b), "T10:00:00.000")
            m.offer(b, bidder, (m.value(b) * Decimal("1.5")).quantize(Decimal(1)), "T10:00:00.000")


def _deliveries(m: Mixer) -> None:
    """Lines delivered exactly at the tolerance (and a day later), due on the run date with nothing
    received, percentage lines exactly on and a point below the expected progress."""
    u, tolerance = m.world.universe, RULES.delivery_tolerance_days
    for k, a in enumerate(m.take()):
        contract = m.c.ids[u.contract[a]]
        due = min(int(u.day[a]) + 60, RUN_DAY - 10)
        kind = k % 4
        percentage = kind >= 2
        m.add(
            SECOP_II_EJECUCION.name,
            identificadorcontrato=contract,
            tipoejecucion="Porcentaje" if percentage else "Entregable",
            fechadeentregaesperada=iso(RUN_DAY if kind == 1 else due),
            fechadeentregareal=iso(due + tolerance + (k % 2)) if kind == 0 else None,
            cantidadporrecibir="10",
            cantidadrecibida="10" if kind == 0 else "0",
            porcentajedeavanceesperado="50",
            porcentaje_de_avance_real=("50", "49.99")[k % 2] if percentage else "0",
            estado_del_contrato="En ejecución",
        )


def _background(m: Mixer) -> None:
    """Register rows of random free suppliers at random dates: they fire when they happen to bar."""
    u = m.world.universe
    for k, a in enumerate(m.take(4 * SHARE, documented=True)):
        s, doc = m.supplier(a), m.doc[a]
        day = int(m.rng.integers(FIRST_DAY - 400, SNAPSHOT_DAY))
        source = k % 5
        if source == 0:
            m.add(
                SECOP_II_MULTAS.name,
                id_contrato=m.c.ids[u.contract[a]],
                as_codigo_proveedor_objeto=s["code"],
                nombre_proveedor_objeto_de=s["name"],
                fecha_evento=iso(day, "T00:00:00.000"),
                numero_de_acto=m.next_id("RESOLUCIÓN AL AZAR "),
                numero_de_version="1",
                estado="Vigente",
            )
        elif source == 1:
            m.add(SIGEP_PEP.name, numero_documento=doc, fecha_vinculacion=iso(day), fecha_desvinculacion=None)
        elif source == 2:
            m.add(SIGEP_PUESTOS_SENSIBLES.name, identificacion_funcionario=doc, fecha_vinculacion=iso(day))
        elif source == 3:
            m.add(
                SIRI_SANCIONES.name,
                numero_identificacion=doc,
                fecha_efectos_juridicos=iso(day),
                duracion_anos=str(int(m.rng.integers(0, 3))),
                duracion_mes=str(int(m.rng.integers(0, 12))),
                duracion_dias="0",
            )
        else:
            m.cancelled_contract(a, day)


def mix_sources(
    world: World, tables: dict[str, pa.Table], used: set[int], rng: np.random.Generator
) -> dict[str, pa.Table]:
    """The generated tables ({source name: table}) with the mixed world's boundary rows; `used`: the
    suppliers (pool indexes) the plants took."""
    m = Mixer(world, tables, used, rng)
    for populate in (
        _splitting,
        _person_lists,
        _documents,
        _fines,
        _registers,
        _amounts,
        _offers,
        _losing_bidders,
        _deliveries,
    ):
        populate(m)
    _background(m)
    return m.tables_out()
