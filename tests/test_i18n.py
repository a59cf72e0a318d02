import re

import pytest

from pyropattern.i18n import LANGUAGES, Message, format_number, normalize_lang, table, tr


def test_every_entry_has_both_languages_and_the_same_placeholders():
    entries = table()
    assert entries, "the translation table is empty"
    for key, texts in entries.items():
        placeholders = {lang: set(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGUAGES}
        for lang in LANGUAGES:
            assert texts[lang].strip(), f"{key} has no {lang} text"
        assert placeholders["en"] == placeholders["id"], f"{key} placeholders differ"


def test_indonesian_strings_avoid_words_the_glossary_rules_out():
    # Glossary §2: no "please" words, no "galat", no slang "lo", and "file" not "berkas".
    banned = re.compile(r"\b(tolong|mohon|silakan|galat|berkas|napi|lo)\b", re.IGNORECASE)
    for key, texts in table().items():
        assert not banned.search(texts["id"]), f"{key}: {texts['id']}"
        assert "!" not in texts["id"], f"{key} uses an exclamation mark"


def test_numbers_follow_the_language():
    assert format_number(1.5, "id") == "1,5"
    assert format_number(1.5, "en") == "1.5"
    assert format_number(1200, "id", digits=0) == "1.200"
    assert tr("error.setting_range", "id", name="x", low=0.5, high=2, value=3) == (
        "x harus antara 0,5 dan 2, bukan 3."
    )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("id", "id"), ("id-ID", "id"), ("id_ID.UTF-8", "id"), ("in", "id"), ("en-US", "en"),
     (None, "en"), ("", "en"), ("fr", "en")],
)
def test_language_tags_are_normalised(tag, expected):
    assert normalize_lang(tag) == expected


def test_messages_translate_late():
    message = Message("warning.few_tones", {"found": 1, "levels": 5})
    assert message.text("en").startswith("Only 1 of 5 burn levels")
    assert message.text("id").startswith("Hanya 1 dari 5 tingkat bakar")


def test_unknown_key_is_a_bug_not_a_fallback():
    with pytest.raises(KeyError):
        tr("no.such.key")

