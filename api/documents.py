"""A buying entity's or a supplier's key from any spelling of its document, by the cleaning's own rules
(spark_jobs.identifiers.canonical_document: `900.123.456-8`, `9001234568` and `900123456` are one NIT)."""

from __future__ import annotations

from spark_jobs.identifiers import canonical_document

# Supplier keys that are not documents (dim_supplier.key_kind secop_code and name), taken as they are.
SUPPLIER_KEY_PREFIXES = ("SECOP:", "NAME:")
MAX_DOCUMENT_CHARS = 200


def entity_keys(raw: str) -> list[str]:
    """The keys a raw NIT may have in dim_entity, most likely first: the canonical NIT, then its digits as
    written (a ten-digit number whose last digit happens to be a check digit); empty when it is no document."""
    if len(raw) > MAX_DOCUMENT_CHARS:
        return []
    keys = [canonical_document(raw), canonical_document(raw, doc_type="CC")]
    return [key for key in dict.fromkeys(keys) if key is not None]


def supplier_keys(raw: str) -> list[str]:
    """The keys a raw supplier document (or a SECOP:/NAME: key) may have in dim_supplier, most likely first."""
    text = raw.strip()
    if text.startswith(SUPPLIER_KEY_PREFIXES) and len(text) <= MAX_DOCUMENT_CHARS:
        return [text]
    return entity_keys(raw)
