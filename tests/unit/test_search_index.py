"""The search index's words: what a document holds, what a query asks for, German stems (SQLite's side)."""

from __future__ import annotations

from konfliktmanagement.db.search_index import document, query_words, stems, words


def test_documents_are_plain_words_so_both_databases_split_them_alike() -> None:
    assert document(["KM-2026-0043", "Lärm am Spielplatz „St. Josef“", None, "Partei A", "P-ABC234"]) == (
        "KM 2026 0043 Lärm am Spielplatz St Josef Partei A P ABC234"
    )
    assert words("Straße_Nr.5") == ["straße", "nr", "5"]


def test_queries_drop_function_words_and_repeats() -> None:
    assert query_words("der Lärm im Hof, der Lärm") == ["lärm", "hof"]
    assert query_words("die und der") == []
    assert len(query_words(" ".join(f"w{i}" for i in range(30)))) == 10


def test_german_stems_join_forms_but_do_not_split_compounds() -> None:
    assert stems(["belästigung", "belästigungen"]) == ["belast", "belast"]
    lärm, compound, children = stems(["lärm", "lärmbelästigung", "kinderlärm"])
    assert compound.startswith(lärm)  # a prefix query "Lärm" finds "Lärmbelästigung"
    assert not children.startswith(lärm)  # …but not "Kinderlärm"
