from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simi.screening.normalize import canonical_key, fold, normalize_name


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Soekarno", "Sukarno"),
        ("Djoko Widodo", "Joko Widodo"),
        ("Tjahjo", "Cahyo"),
        ("Jusuf", "Yusuf"),
        ("Chairul", "Khairul"),
        ("Abdoel", "Abdul"),
        ("Njoman", "Nyoman"),
        ("Sjahrir", "Syahrir"),
    ],
)
def test_it_gives_old_and_new_spellings_one_key(old: str, new: str) -> None:
    assert canonical_key(old) == canonical_key(new)


@pytest.mark.parametrize(
    "variant", ["Muhammad", "Mohammed", "Mohamad", "Muhamad", "Mohd.", "Moh.", "MUHAMMAD"]
)
def test_it_treats_muhammad_transliterations_as_one_token(variant: str) -> None:
    assert canonical_key(variant) == canonical_key("Muhammad")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Abd. Rahman", "Abdul Rahman"), ("Achmad", "Ahmad"), ("Akhmad", "Ahmad"), ("Noor", "Nur")],
)
def test_it_knows_common_arabic_indonesian_variants(a: str, b: str) -> None:
    assert canonical_key(a) == canonical_key(b)


def test_it_folds_case_diacritics_and_special_letters() -> None:
    assert fold("  ÉLODIE  Straße-Łukasz, Øre Æsir \u0131  ") == "elodie strasse lukasz ore aesir i"


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("H. Muhammad Yusuf bin Abdullah, S.H.", ("muhammad", "yusuf", "abdullah")),
        ("Hj. Siti Aminah binti Umar", ("siti", "aminah", "umar")),
        ("Drs. Bambang Sutrisno, M.Si.", ("bambang", "sutrisno")),
        ("Prof. Dr. Ir. Hasan, S.Kom., M.M.", ("hasan",)),
        ("Dra Sri Wahyuni SPd", ("sri", "wahyuni")),
        ("Bpk. Slamet", ("slamet",)),
        ("Ny. Ratna S. H.", ("ratna",)),
        ("R. Soeprapto", ("soeprapto",)),
        ("Haji Ahmad", ("ahmad",)),
        ("Tugiman", ("tugiman",)),
    ],
)
def test_it_drops_titles_and_patronymic_particles(raw: str, tokens: tuple[str, ...]) -> None:
    assert normalize_name(raw).tokens == tokens


def test_it_keeps_own_name_apart_from_the_fathers() -> None:
    name = normalize_name("Yusuf bin Abdullah")
    assert name.own == ("yusuf",)
    assert name.has_patronymic


def test_it_keeps_initials_that_are_not_titles() -> None:
    assert normalize_name("A. Rahman").tokens == ("a", "rahman")
    assert normalize_name("H.").tokens == ("h",)  # a lone letter is a name, not a title


@given(st.text())
def test_it_never_raises_and_folding_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    # A spelling key is an index key, not a name: it is not fed back in (a key
    # such as "ir" would read as the title Ir.), so only its alphabet is checked.
    key = canonical_key(text)
    assert set(key) <= set("abcdefghijklmnopqrstuvwxyz0123456789 ")
