"""The A L L content pack (content/all) and the pack loader (allvoice/content/pack.py).

The pack must carry every fact of its source, in plain words of its own, written for the
ear; the loader must reject a broken pack with the file, the line and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import textstat
import textstat.backend.counts._count_syllables as textstat_syllables

from allvoice.content.pack import Pack, load_pack
from allvoice.data import pronouncing_dictionary
from allvoice.errors import ContentError

# The source page (seed 000_71831d7bcefe3ebc), re-wrapped to fit the line length; the
# tests compare normalised words, so line breaks and punctuation do not matter.
SOURCE_TEXT = """
Acute lymphocytic leukemia (ALL) is a type of cancer of the blood and bone marrow - the
spongy tissue inside bones where blood cells are made.

The word "acute" in acute lymphocytic leukemia comes from the fact that the disease
progresses rapidly and creates immature blood cells, rather than mature ones. The word
"lymphocytic" in acute lymphocytic leukemia refers to the white blood cells called
lymphocytes, which ALL affects. Acute lymphocytic leukemia is also known as acute
lymphoblastic leukemia.

Acute lymphocytic leukemia is the most common type of cancer in children, and treatments
result in a good chance for a cure. Acute lymphocytic leukemia can also occur in adults,
though the chance of a cure is greatly reduced.

Signs and symptoms of acute lymphocytic leukemia may include:
- Bleeding from the gums
- Bone pain
- Fever
- Frequent infections
- Frequent or severe nosebleeds
- Lumps caused by swollen lymph nodes in and around the neck, underarm, abdomen or groin
- Pale skin
- Shortness of breath
- Weakness, fatigue or a general decrease in energy

When to see a doctor

Make an appointment with your doctor or your child's doctor if you notice any persistent
signs and symptoms that concern you.

Many signs and symptoms of acute lymphocytic leukemia mimic those of the flu. However,
flu signs and symptoms eventually improve. If signs and symptoms don't improve as
expected, make an appointment with your doctor.

Acute lymphocytic leukemia occurs when a bone marrow cell develops errors in its DNA. The
errors tell the cell to continue growing and dividing, when a healthy cell would normally
stop dividing and eventually die. When this happens, blood cell production becomes
abnormal. The bone marrow produces immature cells that develop into leukemic white blood
cells called lymphoblasts. These abnormal cells are unable to function properly, and they
can build up and crowd out healthy cells.

It's not clear what causes the DNA mutations that can lead to acute lymphocytic leukemia.
But doctors have found that most cases of acute lymphocytic leukemia aren't inherited.

Risk factors

Factors that may increase the risk of acute lymphocytic leukemia include:
- Previous cancer treatment. Children and adults who've had certain types of chemotherapy
  and radiation therapy for other kinds of cancer may have an increased risk of developing
  acute lymphocytic leukemia.
- Exposure to radiation. People exposed to very high levels of radiation, such as
  survivors of a nuclear reactor accident, have an increased risk of developing acute
  lymphocytic leukemia.
- Genetic disorders. Certain genetic disorders, such as Down syndrome, are associated with
  an increased risk of acute lymphocytic leukemia.
- Having a brother or sister with ALL. People who have a sibling, including a twin, with
  acute lymphocytic leukemia have an increased risk of ALL.

Acute lymphocytic leukemia care at Mayo medical institution

Aug. 10, 2018
1. Kaushansky K, et al., eds. Acute lymphoblastic leukemia. In: Williams Hematology. 9th
   ed. New York, N.Y.: McGraw-Hill Education; 2016. http://accessmedicine.mhmedical.com.
   Accessed March 31, 2017.
2. AskMayoExpert. Acute lymphoblastic leukemia. Rochester, Minn.: Mayo Foundation for
   Medical Education and Research; 2016.
3. Childhood acute lymphoblastic leukemia treatment (PDQ). National Cancer Institute.
   https://www.cancer.gov/types/leukemia/patient/child-all-treatment-pdq#section/all.
   Accessed June 26, 2017.
4. Adult acute lymphoblastic leukemia treatment (PDQ) - Health professional version.
   National Cancer Institute.
   https://www.cancer.gov/types/leukemia/hp/adult-all-treatment-pdq#section/all.
   Accessed June 26, 2017.
5. Integrative medicine and complementary and alternative therapies. Leukemia & Lymphoma
   Society.
   https://www.lls.org/treatment/integrative-medicine-and-complementary-and-alternative-therapies.
   Accessed June 26, 2017.
6. Larson RA. Treatment of relapsed or refractory acute lymphoblastic leukemia in adults.
   https://www.uptodate.com/contents/search. Accessed June 26, 2017.
7. Riggin ER. Allscripts EPSi. Mayo medical institution, Rochester, Minn. July 5, 2017.
8. Acute lymphoblastic leukemia. Fort Washington, Pa.: National Comprehensive Cancer
   Network. http://www.nccn.org/professionals/physician_gls/f_guidelines.asp. Accessed
   March 31, 2017.
9. Begna KH (expert opinion). Mayo medical institution, Rochester, Minn. Aug. 9, 2017.
"""

SECTION_IDS = (
    "overview", "symptoms", "when_to_see_doctor", "causes", "risk_factors", "sources",
)  # fmt: skip
CONTENT_SECTIONS = ("overview", "symptoms", "when_to_see_doctor", "causes", "risk_factors")
SYMPTOM_IDS = (
    "bleeding_gums", "bone_pain", "fever", "infections", "nosebleeds", "swollen_lymph_nodes",
    "pale_skin", "shortness_of_breath", "fatigue",
)  # fmt: skip
LIST_SECTIONS = ("symptoms", "risk_factors")

# Titles and publishers of the references: the sources section may repeat these word for
# word, as a citation must.
REFERENCE_NAMES = (
    "Treatment of relapsed or refractory acute lymphoblastic leukemia in adults",
    "Integrative medicine and complementary and alternative therapies",
    "Childhood acute lymphoblastic leukemia treatment",
    "Adult acute lymphoblastic leukemia treatment",
    "Mayo Foundation for Medical Education and Research",
    "National Comprehensive Cancer Network",
)

# One row per fact of the source: (what it says, phrases that must all be in ONE fact of
# the section, section). "a|b" accepts either phrase. Phrases are compared after
# normalising (lower case, punctuation dropped, "A L L" and "D N A" kept as letters).
# fmt: off
REQUIRED_FACTS: list[tuple[str, list[str], str]] = [
    ("A L L is a type of cancer", ["acute lymphocytic leukemia", "a l l", "cancer"], "overview"),
    ("it is a cancer of the blood and bone marrow", ["cancer", "blood", "bone marrow"],
     "overview"),
    ("bone marrow is the spongy tissue inside bones", ["bone marrow", "spongy", "bones"],
     "overview"),
    ("bone marrow is where blood cells are made", ["bone marrow", "makes its blood cells"],
     "overview"),
    ("acute: the disease progresses rapidly", ["acute", "worse quickly"], "overview"),
    ("acute: it makes immature rather than mature blood cells",
     ["acute", "immature", "instead of mature"], "overview"),
    ("lymphocytic: it affects white blood cells called lymphocytes",
     ["lymphocytic", "white blood cell", "lymphocyte"], "overview"),
    ("its other name is acute lymphoblastic leukemia",
     ["another name", "acute lymphoblastic leukemia"], "overview"),
    ("it is the most common cancer in children", ["most common", "cancer", "children"],
     "overview"),
    ("treatment gives children a good chance of a cure",
     ["treatment", "children", "good chance", "cured"], "overview"),
    ("adults can get it too", ["adults can get it"], "overview"),
    ("for adults the chance of a cure is much lower", ["adults", "cure", "much lower"],
     "overview"),
    ("symptom: bleeding from the gums", ["bleeding", "gums"], "symptoms"),
    ("symptom: bone pain", ["pain", "bones"], "symptoms"),
    ("symptom: fever", ["fever"], "symptoms"),
    ("symptom: frequent infections", ["infections", "often"], "symptoms"),
    ("symptom: frequent or severe nosebleeds", ["nosebleeds", "often", "severe"], "symptoms"),
    ("symptom: lumps from swollen lymph nodes in the neck, underarm, abdomen or groin",
     ["lumps", "swollen lymph nodes", "neck", "under the arm", "abdomen", "groin"], "symptoms"),
    ("symptom: pale skin", ["pale skin"], "symptoms"),
    ("symptom: shortness of breath", ["shortness of breath"], "symptoms"),
    ("symptom: weakness, fatigue or a general decrease in energy",
     ["weak", "tired", "less energy"], "symptoms"),
    ("see a doctor, for you or your child, for persistent signs that worry you",
     ["your child", "do not go away", "worry", "make an appointment", "doctor"],
     "when_to_see_doctor"),
    ("many signs mimic the flu", ["many signs", "like the signs of the flu"],
     "when_to_see_doctor"),
    ("flu signs eventually improve", ["flu signs get better"], "when_to_see_doctor"),
    ("if signs do not improve as expected, make an appointment",
     ["do not get better", "expect", "make an appointment"], "when_to_see_doctor"),
    ("it starts with errors in the D N A of a bone marrow cell",
     ["cell", "bone marrow", "errors|mistakes", "d n a"], "causes"),
    ("the errors tell the cell to keep growing and dividing",
     ["tell the cell", "growing and dividing"], "causes"),
    ("a healthy cell would stop dividing and eventually die",
     ["healthy cell", "stop dividing", "die"], "causes"),
    ("blood cell production becomes abnormal", ["making blood cells", "normal way"], "causes"),
    ("the marrow makes immature cells that become leukemic white cells, lymphoblasts",
     ["immature cells", "leukemia white blood cells", "lymphoblasts"], "causes"),
    ("the abnormal cells cannot work properly", ["abnormal cells", "not able", "properly"],
     "causes"),
    ("they build up and crowd out healthy cells", ["build up", "crowd out", "healthy cells"],
     "causes"),
    ("it is not clear what causes the D N A mutations",
     ["not sure", "causes", "d n a", "mutations"], "causes"),
    ("most cases are not inherited", ["most cases", "not inherited"], "causes"),
    ("risk: certain chemotherapy or radiation therapy for another cancer, children and adults",
     ["children and adults", "chemotherapy", "radiation therapy", "another cancer",
      "higher risk"], "risk_factors"),
    ("risk: very high radiation, such as survivors of a nuclear reactor accident",
     ["very high levels of radiation", "nuclear reactor accident", "higher risk"],
     "risk_factors"),
    ("risk: genetic disorders such as Down syndrome",
     ["genetic disorders", "down syndrome", "higher risk"], "risk_factors"),
    ("risk: a brother or sister with A L L, including a twin",
     ["brother or sister", "twin", "higher risk"], "risk_factors"),
    ("source: a Mayo medical institution page dated August 10, 2018",
     ["mayo medical institution", "august 10 2018"], "sources"),
    ("reference 1: Williams Hematology",
     ["kaushansky and others", "acute lymphoblastic leukemia", "williams hematology",
      "ninth edition", "mcgraw hill education", "new york", "2016", "march 31 2017"],
     "sources"),
    ("reference 2: AskMayoExpert",
     ["ask mayo expert", "acute lymphoblastic leukemia",
      "mayo foundation for medical education and research", "rochester minnesota", "2016"],
     "sources"),
    ("reference 3: childhood treatment, National Cancer Institute",
     ["childhood acute lymphoblastic leukemia treatment", "p d q", "national cancer institute",
      "june 26 2017"], "sources"),
    ("reference 4: adult treatment, health professional version",
     ["adult acute lymphoblastic leukemia treatment", "p d q", "health professional version",
      "national cancer institute", "june 26 2017"], "sources"),
    ("reference 5: integrative medicine, Leukemia and Lymphoma Society",
     ["integrative medicine and complementary and alternative therapies",
      "leukemia and lymphoma society", "june 26 2017"], "sources"),
    ("reference 6: Larson, relapsed or refractory A L L in adults",
     ["larson", "treatment of relapsed or refractory acute lymphoblastic leukemia in adults",
      "up to date", "june 26 2017"], "sources"),
    ("reference 7: Riggin, Allscripts E P S i",
     ["riggin", "allscripts e p s i", "rochester minnesota", "july 5 2017"], "sources"),
    ("reference 8: National Comprehensive Cancer Network",
     ["acute lymphoblastic leukemia", "national comprehensive cancer network",
      "fort washington pennsylvania", "march 31 2017"], "sources"),
    ("reference 9: Begna, expert opinion",
     ["begna", "expert opinion", "rochester minnesota", "august 9 2017"], "sources"),
]
# fmt: on


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation made a space, spaces collapsed."""
    text = re.sub("['\u2019]", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def contains(text: str, phrase: str) -> bool:
    """True when the normalised ``phrase`` is in ``text`` as whole words."""
    return f" {normalise(phrase)} " in f" {normalise(text)} "


def spoken_texts(pack: Pack) -> list[str]:
    """Everything of the pack that is read aloud."""
    texts = [pack.name, pack.short_name, pack.source]
    for section in pack.sections:
        texts += [section.title, section.list_intro or ""]
        texts += [fact.text for fact in section.facts]
    return [text for text in texts if text]


# --- the source's facts are all there --------------------------------------------------


def test_there_is_a_row_for_each_fact_and_reference() -> None:
    assert len(REQUIRED_FACTS) >= 30
    assert sum(1 for _, _, section in REQUIRED_FACTS if section == "sources") == 10


@pytest.mark.parametrize(
    ("description", "phrases", "section_id"),
    REQUIRED_FACTS,
    ids=[description for description, _, _ in REQUIRED_FACTS],
)
def test_source_fact_is_in_the_pack(
    pack: Pack, description: str, phrases: list[str], section_id: str
) -> None:
    texts = [fact.text for fact in pack.section(section_id).facts]
    found = [
        text
        for text in texts
        if all(any(contains(text, option) for option in p.split("|")) for p in phrases)
    ]
    assert found, f"no fact of {section_id!r} says {description!r} ({phrases})"


def test_pack_says_where_its_content_comes_from(pack: Pack) -> None:
    assert pack.id == "all"
    assert pack.name == "acute lymphocytic leukemia"
    assert pack.short_name == "A L L"
    assert pack.source_date == "2018-08-10"
    assert contains(pack.source, "patient information page")
    assert contains(pack.source, "mayo medical institution")
    assert contains(pack.source, "august 10 2018")


# --- structure ---------------------------------------------------------------------------


def test_sections_are_all_present_in_order(pack: Pack) -> None:
    assert pack.section_ids == SECTION_IDS


def test_the_nine_symptoms_are_exactly_present(pack: Pack) -> None:
    assert tuple(symptom.id for symptom in pack.symptoms) == SYMPTOM_IDS
    facts = pack.section("symptoms").facts
    assert tuple(fact.symptom for fact in facts) == SYMPTOM_IDS


def test_only_the_lists_have_a_list_intro(pack: Pack) -> None:
    for section in pack.sections:
        assert section.is_list == (section.id in LIST_SECTIONS), section.id
    assert contains(pack.section("symptoms").list_intro or "", "nine")
    assert contains(pack.section("risk_factors").list_intro or "", "four")
    assert len(pack.section("risk_factors").facts) == 4


@pytest.mark.parametrize("symptom_id", SYMPTOM_IDS)
def test_symptom_synonyms_are_rich_and_start_with_the_spoken_name(
    pack: Pack, symptom_id: str
) -> None:
    symptom = next(s for s in pack.symptoms if s.id == symptom_id)
    assert 10 <= len(symptom.synonyms) <= 25
    assert symptom.name == symptom.synonyms[0]
    assert len(symptom.name.split()) <= 3
    for synonym in symptom.synonyms:
        assert re.fullmatch(r"[a-z][a-z ']*", synonym), synonym
    assert len(set(symptom.synonyms)) == len(symptom.synonyms), "a synonym is listed twice"


def test_no_synonym_points_at_two_symptoms(pack: Pack) -> None:
    owners: dict[str, str] = {}
    for symptom in pack.symptoms:
        for synonym in symptom.synonyms:
            assert owners.setdefault(synonym, symptom.id) == symptom.id, synonym


def test_breathing_emergencies_are_not_symptom_synonyms(pack: Pack) -> None:
    # "can't breathe" is an emergency, handled before any symptom report.
    for symptom in pack.symptoms:
        for synonym in symptom.synonyms:
            assert not re.search(r"\b(can ?not|cant|can't|unable to) (breathe|breath)\b", synonym)


@pytest.mark.parametrize("section_id", SECTION_IDS)
def test_section_has_keywords_and_example_questions(pack: Pack, section_id: str) -> None:
    section = pack.section(section_id)
    assert section.title
    assert 15 <= len(section.keywords) <= 80
    assert 15 <= len(section.questions) <= 30
    assert len(set(section.questions)) == len(section.questions)
    for keyword in section.keywords:
        assert re.fullmatch(r"[a-z0-9][a-z0-9 ']*", keyword), keyword
    for question in section.questions:
        assert re.fullmatch(r"[a-z0-9 ]+", question), question


def test_facts_that_answer_one_question_have_their_own_cues(pack: Pack) -> None:
    cued = {
        (section.id, fact.id)
        for section in pack.sections
        for fact in section.facts
        if fact.keywords and fact.questions
    }
    wanted = {
        ("overview", "what_is_all"), ("overview", "acute_meaning"),
        ("overview", "lymphocytic_meaning"), ("overview", "other_name"),
        ("overview", "who_gets_it"), ("overview", "chance_of_cure"),
        ("causes", "not_inherited"), ("causes", "cause_unknown"),
        ("risk_factors", "previous_cancer_treatment"), ("risk_factors", "radiation_exposure"),
        ("risk_factors", "genetic_disorders"), ("risk_factors", "sibling_with_all"),
        ("when_to_see_doctor", "like_the_flu"), ("sources", "source_page"),
    }  # fmt: skip
    assert wanted <= cued
    inherited = pack.section("causes").facts
    fact = next(f for f in inherited if f.id == "not_inherited")
    assert {"inherited", "hereditary", "genetic", "runs in families"} <= set(fact.keywords)
    assert "is it inherited" in fact.questions


# --- written for the ear -----------------------------------------------------------------


def test_no_link_markdown_or_bullet_in_anything_spoken(pack: Pack) -> None:
    bad = re.compile(r"https?://|www\.|\.(com|org|gov|asp)\b|[*_#`<>\[\]{}|~^•()&/]")
    for text in spoken_texts(pack):
        assert not bad.search(text), text


def test_no_bare_all_or_short_forms_in_anything_spoken(pack: Pack) -> None:
    # "ALL" would be read as the word "all"; citation short forms are not said aloud.
    short_forms = re.compile(
        r"\bALL\b|\bDNA\b|\bPDQ\b|\bet al\b|\beds?\.|\bed\b|\b(Pa|Minn|Aug|N\.Y)\.|\b9th\b"
    )
    for text in spoken_texts(pack):
        assert not short_forms.search(text), text


def test_each_fact_is_short(pack: Pack) -> None:
    for section in pack.sections:
        for fact in section.facts:
            sentences = [s for s in re.split(r"(?<=[.?!])\s+", fact.text) if s]
            assert 1 <= len(sentences) <= 3, fact.id
            assert fact.text[-1] in ".?!", fact.id
            limit = 45 if section.id == "sources" else 30
            assert len(fact.text.split()) <= limit, fact.id


# --- plain words, of its own -------------------------------------------------------------


def _cmu_syllables() -> dict[str, list[list[str]]]:
    """The CMU dictionary that pocketsphinx ships, shaped as textstat reads it.

    textstat counts syllables with NLTK's copy of the CMU dictionary, which it downloads on
    first use; pocketsphinx (a dependency of allvoice) ships the same dictionary, without
    stress marks. Each vowel phone is one syllable, so it gets a stress digit here.
    """
    vowels = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY",
              "UH", "UW"}  # fmt: skip
    table: dict[str, list[list[str]]] = {}
    for line in pronouncing_dictionary().read_text(encoding="utf-8").splitlines():
        word, *phones = line.split()
        if "(" not in word:
            table[word] = [[p + "1" if p in vowels else p for p in phones]]
    return table


Grade = Callable[[str], float]


@pytest.fixture(scope="module")
def grade() -> Iterator[Grade]:
    """textstat's Flesch-Kincaid grade, counting syllables offline with the CMU dictionary."""
    table = _cmu_syllables()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textstat_syllables, "get_cmudict", lambda lang: table)
        textstat_syllables.count_syllables.cache_clear()
        yield textstat.flesch_kincaid_grade
        textstat_syllables.count_syllables.cache_clear()


def test_syllables_are_counted_with_the_cmu_dictionary(grade: Grade) -> None:
    assert textstat.syllable_count("leukemia lymphocytes") == 4 + 3


def test_reading_level_is_grade_5_to_8(pack: Pack, grade: Grade) -> None:
    texts = {
        section_id: " ".join(fact.text for fact in pack.section(section_id).facts)
        for section_id in CONTENT_SECTIONS
    }
    overall = grade(" ".join(texts.values()))
    assert 5 <= overall <= 8.5, overall
    for section_id, text in texts.items():
        assert grade(text) <= 10, (section_id, grade(text))


def _runs(text: str, length: int = 8) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive words of ``text``, normalised.

    Letters spelled out for speech ("A L L", "D N A") are joined back into the word the
    source has, so spelling them out cannot hide a copied sentence.
    """
    text = re.sub(r"\b[A-Z]\b(?: [A-Z]\b)+", lambda m: m.group(0).replace(" ", ""), text)
    words = normalise(text).split()
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def test_no_run_of_eight_words_is_copied_from_the_source(pack: Pack) -> None:
    source_runs = _runs(SOURCE_TEXT)
    allowed = set().union(*(_runs(name) for name in REFERENCE_NAMES))
    copied = [
        (fact.id, " ".join(run))
        for section in pack.sections
        for fact in section.facts
        for run in _runs(fact.text) & source_runs
        if run not in allowed
    ]
    assert not copied


def test_the_copy_check_would_catch_a_copied_sentence() -> None:
    copied = "The errors tell the cell to continue growing and dividing, as it does."
    assert _runs(copied) & _runs(SOURCE_TEXT)
    spelled = "It's not clear what causes the D N A mutations that can lead to A L L."
    assert _runs(spelled) & _runs(SOURCE_TEXT)


# --- the loader rejects broken packs -----------------------------------------------------

PACK_TOML = """\
id = "demo"
name = "demo condition"
source = "A test page."
source_date = "2024-01-01"
sections = ["about"]
"""

ABOUT_TOML = """\
id = "about"
title = "about it"
list_intro = "There are two facts."

[[facts]]
id = "first"
text = "The first fact."

[[facts]]
id = "second"
text = "The second fact."
symptom = "fever"
synonyms = ["fever", "hot"]
"""


def write_pack(folder: Path, pack: str = PACK_TOML, about: str | None = ABOUT_TOML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text(pack, encoding="utf-8")
    if about is not None:
        (folder / "about.toml").write_text(about, encoding="utf-8")
    return folder


def with_line(text: str, number: int, new: str | None) -> str:
    """``text`` with line ``number`` (from 1) replaced by ``new``, or removed when None."""
    lines = text.splitlines()
    assert lines[number - 1], "the test edits a blank line"
    lines[number - 1 : number] = [] if new is None else [new]
    return "\n".join(lines) + "\n"


def load_error(folder: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_pack(folder)
    return caught.value


def test_the_small_pack_loads(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path))
    assert pack.short_name == "demo condition"
    assert [fact.id for fact in pack.section("about").facts] == ["first", "second"]
    assert pack.section("about").list_intro == "There are two facts."
    assert [(s.id, s.name) for s in pack.symptoms] == [("fever", "fever")]


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, 7, 'text = "The first')))
    assert error.path.endswith("about.toml")
    assert error.line == 7
    assert "about.toml, line 7: not valid TOML" in str(error)


def test_invalid_toml_in_pack_toml(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, pack=with_line(PACK_TOML, 4, "source_date 2024")))
    assert error.path.endswith("pack.toml")
    assert error.line == 4


def test_missing_fact_key_names_the_key_and_its_table(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, 11, None)))
    assert "missing required key 'text'" in str(error)
    assert error.line == 9  # the [[facts]] line of the table that lacks it


def test_missing_top_level_key_points_at_no_fact(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, 1, None)))
    assert "missing required key 'id'" in str(error)
    assert error.path.endswith("about.toml")
    assert error.line is None  # not the line of a fact's own id


def test_missing_pack_key_names_it(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, pack=with_line(PACK_TOML, 3, None)))
    assert "missing required key 'source'" in str(error)
    assert error.path.endswith("pack.toml")


def test_unknown_fact_key_names_it_and_its_line(tmp_path: Path) -> None:
    about = ABOUT_TOML.replace('text = "The first fact."', 'text = "The first fact."\ncolour = 1')
    error = load_error(write_pack(tmp_path, about=about))
    assert "unknown key 'colour'" in str(error)
    assert error.line == 8


def test_unknown_top_level_keys_are_rejected(tmp_path: Path) -> None:
    about = with_line(ABOUT_TOML, 2, 'titel = "about it"')
    error = load_error(write_pack(tmp_path, about=about))
    assert "missing required key 'title'" in str(error)
    about = ABOUT_TOML.replace('title = "about it"', 'title = "about it"\nlang = "en"')
    error = load_error(write_pack(tmp_path, about=about))
    assert "unknown key 'lang'" in str(error)
    assert error.line == 3
    error = load_error(write_pack(tmp_path, pack=PACK_TOML + 'author = "me"\n'))
    assert "unknown key 'author'" in str(error)
    assert error.path.endswith("pack.toml")
    assert error.line == 6


def test_duplicate_fact_id_points_at_the_second(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, 10, 'id = "first"')))
    assert "fact id 'first' is used twice" in str(error)
    assert error.line == 10


def test_a_facts_header_with_a_comment_still_gives_the_right_line(tmp_path: Path) -> None:
    about = with_line(ABOUT_TOML, 5, "[[facts]]  # the first one")
    about = with_line(about, 10, 'id = "first"')
    error = load_error(write_pack(tmp_path, about=about))
    assert error.line == 10


def test_a_missing_section_file_is_named(tmp_path: Path) -> None:
    pack = with_line(PACK_TOML, 5, 'sections = ["about", "causes"]')
    error = load_error(write_pack(tmp_path, pack=pack))
    assert "section 'causes' has no file causes.toml" in str(error)
    assert error.path.endswith("pack.toml")
    assert error.line == 5


def test_section_id_must_match_its_file_name(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, 1, 'id = "other"')))
    assert "id must be 'about'" in str(error)
    assert error.line == 1


@pytest.mark.parametrize(
    ("line", "new", "found"),
    [
        (7, 'text = "See https://example.org for more."', "https://"),
        (7, 'text = "Read www.example.org for more."', "www."),
        (11, 'text = "This is **important**."', "'*'"),
        (11, 'text = "# A heading"', "'#'"),
        (11, 'text = "• A bullet."', "'•'"),
        (11, 'text = "A [link](somewhere)."', "'['"),
        (3, 'list_intro = "There are <two> facts."', "'<'"),
        (2, 'title = "about_it"', "'_'"),
    ],
)
def test_text_not_for_the_ear_is_rejected_with_its_line(
    tmp_path: Path, line: int, new: str, found: str
) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, line, new)))
    assert error.line == line
    assert found in str(error)
    assert "should not be spoken" in str(error)


def test_empty_fact_text_is_rejected(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, 11, 'text = "  "')))
    assert "'text' must not be empty" in str(error)
    assert error.line == 11


def test_a_wrong_type_is_named(tmp_path: Path) -> None:
    error = load_error(write_pack(tmp_path, about=with_line(ABOUT_TOML, 13, 'synonyms = "hot"')))
    assert "'synonyms' must be a list of texts in quotes" in str(error)
    assert error.line == 13


def test_a_section_without_facts_is_rejected(tmp_path: Path) -> None:
    about = 'id = "about"\ntitle = "about it"\n'
    error = load_error(write_pack(tmp_path, about=about))
    assert "at least one [[facts]] table" in str(error)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nowhere")
    assert error.path.endswith("nowhere")
    assert error.line is None
    assert "no such content folder" in str(error)


def test_a_folder_without_pack_toml_is_named(tmp_path: Path) -> None:
    (tmp_path / "about.toml").write_text(ABOUT_TOML, encoding="utf-8")
    error = load_error(tmp_path)
    assert error.path.endswith("pack.toml")
    assert "needs a pack.toml" in str(error)


REQUIRED = [  # (file, the line that holds the key, the key): every key a pack must have
    ("pack.toml", 'id = "demo"', "id"),
    ("pack.toml", 'name = "demo condition"', "name"),
    ("pack.toml", 'source = "A test page."', "source"),
    ("pack.toml", 'source_date = "2024-01-01"', "source_date"),
    ("pack.toml", 'sections = ["about"]', "sections"),
    ("about.toml", 'id = "about"', "id"),
    ("about.toml", 'title = "about it"', "title"),
    ("about.toml", None, "facts"),
    ("about.toml", 'text = "The first fact."', "text"),
    ("about.toml", 'id = "second"', "id"),
]


@pytest.mark.parametrize(
    ("file", "line", "key"), REQUIRED, ids=[f"{f}-{k}-{n}" for n, (f, _, k) in enumerate(REQUIRED)]
)
def test_each_required_key_deleted_in_turn_is_an_error_naming_it(
    tmp_path: Path, file: str, line: str | None, key: str
) -> None:
    """A pack without any one of its required keys is refused, and the error names the key
    and the file: none is quietly given a default."""
    pack, about = PACK_TOML, ABOUT_TOML
    if file == "pack.toml":
        assert pack.count(f"{line}\n") == 1
        pack = pack.replace(f"{line}\n", "")
    elif line is None:  # the facts: every [[facts]] table goes
        about = about[: about.index("[[facts]]")]
    else:
        assert about.count(f"{line}\n") == 1
        about = about.replace(f"{line}\n", "")
    error = load_error(write_pack(tmp_path, pack=pack, about=about))
    assert f"missing required key {key!r}" in str(error), str(error)
    assert error.path.endswith(file)
