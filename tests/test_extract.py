"""Extraction rules on small articles: they hold for any article, not just the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from medkg.article import parse
from medkg.extract import RELATIONS, Assertion, extract
from medkg.resources import REGISTRY
from medkg.terminology import Lexicon, load_registry


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(load_registry(REGISTRY))


def facts(text: str, lexicon: Lexicon) -> list[Assertion]:
    return list(extract(parse(text, Path("conditions/test.txt"), "condition"), lexicon).assertions)


def triples(assertions: list[Assertion], negated: bool = False) -> set[tuple[str, str, str]]:
    return {
        (a.subject.label, a.relation, a.object.label) for a in assertions if a.negated == negated
    }


VARIANT = """Lung Cancer

Lung cancer is a cancer that starts in the lungs.

Signs and Symptoms

  - Fatigue: often present
  * Weakness: may occur

Tests and Diagnosis

Doctors use computed tomography (CT) and a biopsy.

Management

Treatment may include surgery, chemotherapy or radiotherapy.
"""


def test_heading_wording_and_bullet_characters_do_not_matter(lexicon: Lexicon) -> None:
    found = triples(facts(VARIANT, lexicon))
    assert {
        ("lung cancer", "hasSymptom", "fatigue"),
        ("lung cancer", "hasSymptom", "weakness"),
        ("lung cancer", "diagnosedBy", "computed tomography"),
        ("lung cancer", "diagnosedBy", "biopsy"),
        ("lung cancer", "treatedBy", "surgery"),
        ("lung cancer", "treatedBy", "chemotherapy"),
        ("lung cancer", "treatedBy", "radiation therapy"),
    } <= found


def test_markdown_and_crlf_give_the_same_facts(lexicon: Lexicon) -> None:
    markdown = "# " + VARIANT.replace("\nSigns and Symptoms\n", "\n## Signs and Symptoms\n")
    markdown = markdown.replace("\nTests and Diagnosis\n", "\n## Tests and Diagnosis\n")
    markdown = markdown.replace("\nManagement\n", "\n## Management\n").replace("\n", "\r\n")
    assert triples(facts(markdown, lexicon)) == triples(facts(VARIANT, lexicon))


NEGATED = """Lung Cancer

Symptoms

Lung cancer does not usually cause bone pain. Fatigue is common.
"""


def test_negation_is_recorded_never_asserted(lexicon: Lexicon) -> None:
    assertions = facts(NEGATED, lexicon)
    assert ("lung cancer", "hasSymptom", "bone pain") in triples(assertions, negated=True)
    assert ("lung cancer", "hasSymptom", "bone pain") not in triples(assertions)
    assert ("lung cancer", "hasSymptom", "fatigue") in triples(assertions)


def test_hedges_stay_with_their_fact(lexicon: Lexicon) -> None:
    text = "Lung Cancer\n\nSymptoms\n\nLung cancer can rarely cause limited mobility.\n"
    [symptom] = [a for a in facts(text, lexicon) if a.relation == "hasSymptom"]
    assert set(symptom.evidence.hedges) == {"can", "rarely"}
    assert not symptom.negated


def test_facts_only_in_the_faq_keep_the_question_role(lexicon: Lexicon) -> None:
    text = (
        "Lung Cancer\n\nOverview\n\nA cancer of the lung.\n\nFAQs\n\n"
        "What are the symptoms of lung cancer?\nSymptoms may include fatigue.\n"
    )
    [symptom] = [a for a in facts(text, lexicon) if a.relation == "hasSymptom"]
    assert symptom.object.label == "fatigue"
    assert (symptom.evidence.section, symptom.evidence.role) == ("FAQs", "symptoms")
    assert symptom.evidence.hedges == ("may",)


def test_every_assertion_respects_domain_and_range(lexicon: Lexicon) -> None:
    seed = Path(__file__).resolve().parents[1] / "data/articles/conditions/bone-metastasis.txt"
    assertions = facts(seed.read_text(), lexicon)
    assert len(assertions) > 50
    for assertion in assertions:
        domain, range_ = RELATIONS[assertion.relation]
        assert assertion.subject.is_a(*domain), assertion
        assert assertion.object.is_a(*range_), assertion


def test_unknown_article_title_still_gets_its_facts(lexicon: Lexicon) -> None:
    text = "Zebra Fever\n\nSymptoms\n\n  • Fatigue: constant\n"
    assert triples(facts(text, lexicon)) == {("zebra fever", "hasSymptom", "fatigue")}


def facts_in(kind: str, text: str, lexicon: Lexicon) -> set[tuple[str, str, str]]:
    """The positive triples of an article of ``kind`` (condition, symptom or procedure)."""
    article = parse(text, Path(f"{kind}s/test.txt"), kind)
    return triples(list(extract(article, lexicon).assertions))


def test_a_passive_verb_is_found_after_a_name_ending_in_is(lexicon: Lexicon) -> None:
    text = "Bone Pain\n\nTreatment\n\nOsteomyelitis is treated with antibiotics.\n"
    assert ("osteomyelitis", "treatedBy", "antibiotic") in facts_in("symptom", text, lexicon)


def test_a_generic_name_stands_for_the_article_concept(lexicon: Lexicon) -> None:
    text = "Back Pain\n\nTreatment\n\nIbuprofen can ease pain for a short time.\n"
    found = facts_in("symptom", text, lexicon)
    assert ("back pain", "treatedBy", "ibuprofen") in found
    assert ("pain", "treatedBy", "ibuprofen") not in found


def test_a_definition_is_about_what_it_defines(lexicon: Lexicon) -> None:
    text = "Multiple Myeloma\n\nMultiple myeloma is a cancer of plasma cells.\n"
    found = facts_in("condition", text, lexicon)
    assert ("multiple myeloma", "affects", "plasma cell") in found
    assert ("cancer", "affects", "plasma cell") not in found
    bullet = (
        "Bone Pain\n\nCauses\n\n  • Multiple myeloma: This cancer frequently causes bone pain\n"
    )
    assert ("cancer", "causes", "bone pain") not in facts_in("symptom", bullet, lexicon)
    symptom = "Peripheral Neuropathy\n\nSymptoms\n\n  • Burning pain: Sharp or burning pain\n"
    found = facts_in("condition", symptom, lexicon)
    assert ("peripheral neuropathy", "hasSymptom", "burning pain") in found
    assert ("peripheral neuropathy", "hasSymptom", "pain") not in found


def test_people_named_after_a_cause_are_not_its_effect(lexicon: Lexicon) -> None:
    text = (
        "Bone Pain\n\nCauses\n\n"
        "Bone metastasis is one of the most common causes of bone pain in people with cancer.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("bone metastasis", "causes", "bone pain") in found
    assert ("bone metastasis", "causes", "cancer") not in found


def test_a_passive_cause_takes_the_agent_right_after_its_cue(lexicon: Lexicon) -> None:
    text = (
        "Bone Pain\n\nCauses\n\n"
        "Osteomyelitis, usually caused by bacteria, produces pain and often comes with fever.\n"
    )
    assert ("fever", "causes", "osteomyelitis") not in facts_in("symptom", text, lexicon)
    denied = (
        "Osteonecrosis of the Jaw\n\n"
        "ONJ is dead bone caused by a medicine side effect, not by cancer.\n"
    )
    article = parse(denied, Path("conditions/test.txt"), "condition")
    assertions = list(extract(article, lexicon).assertions)
    assert ("cancer", "causes", "osteonecrosis of the jaw") in triples(assertions, negated=True)


def test_the_cancer_that_spreads_is_the_one_nearest_the_cue(lexicon: Lexicon) -> None:
    text = (
        "Bone Pain\n\nCauses\n\n"
        "Primary bone cancer is much rarer than cancer that has spread to bone. "
        "Cancers that often spread to bone include breast and prostate cancer.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("primary bone cancer", "metastasizesTo", "bone") not in found
    assert ("breast cancer", "metastasizesTo", "bone") in found
    assert ("prostate cancer", "metastasizesTo", "bone") in found


def test_cancer_cells_that_travel_spread(lexicon: Lexicon) -> None:
    text = (
        "Breast Cancer\n\nAs it advances, cancer cells may travel through the lymphatic system "
        "to the lymph nodes under the arm.\n"
    )
    assert ("breast cancer", "metastasizesTo", "lymph node") in facts_in("condition", text, lexicon)


def test_a_bullet_named_for_a_condition_lists_its_treatments(lexicon: Lexicon) -> None:
    text = "Fatigue\n\nTreatment\n\n  • Depression: Antidepressants, talking therapy or both\n"
    found = facts_in("symptom", text, lexicon)
    assert ("depression", "treatedBy", "antidepressant") in found
    assert ("fatigue", "treatedBy", "antidepressant") not in found
    uses = "Chemotherapy\n\nUses\n\n  • Lung cancer: Used together with radiation therapy\n"
    found = facts_in("procedure", uses, lexicon)
    assert ("lung cancer", "treatedBy", "radiation therapy") in found
    assert ("lung cancer", "treatedBy", "chemotherapy") in found


def test_a_condition_affects_the_body_part_its_verb_names(lexicon: Lexicon) -> None:
    text = (
        "Multiple Myeloma\n\nFrequently Asked Questions (FAQs)\n\nWhere does it start?\n"
        "It starts in the bone marrow.\n\nDoes it harm the brain?\n"
        "It does not affect the brain.\n"
    )
    article = parse(text, Path("conditions/test.txt"), "condition")
    assertions = list(extract(article, lexicon).assertions)
    assert ("multiple myeloma", "affects", "bone marrow") in triples(assertions)
    assert ("multiple myeloma", "affects", "brain") in triples(assertions, negated=True)
    bullet = (
        "Bone Pain\n\nCauses\n\n  • Multiple myeloma: "
        "This cancer of plasma cells in the bone marrow weakens the bones\n"
    )
    found = facts_in("symptom", bullet, lexicon)
    assert {
        ("multiple myeloma", "affects", "plasma cell"),
        ("multiple myeloma", "affects", "bone marrow"),
        ("multiple myeloma", "affects", "bone"),
    } <= found
    passive = "Bone Pain\n\nCauses\n\nBones weakened by osteoporosis can break.\n"
    assert ("osteoporosis", "affects", "bone") in facts_in("symptom", passive, lexicon)


def test_a_verb_whose_subject_is_not_a_condition_affects_nothing(lexicon: Lexicon) -> None:
    text = (
        "Bisphosphonate Therapy\n\nRisks\n\n"
        "  • Kidney damage: Bisphosphonates given into a vein can harm the kidneys\n"
    )
    assert not {f for f in facts_in("procedure", text, lexicon) if f[1] == "affects"}
    plural = "Osteoporosis\n\nSymptoms\n\nThese most often affect the hip, spine and wrist.\n"
    assert not {f for f in facts_in("condition", plural, lexicon) if f[1] == "affects"}


def test_a_procedure_names_the_body_part_it_works_on(lexicon: Lexicon) -> None:
    text = (
        "Prostate Cancer\n\nTreatment\n\n"
        "  • Radical prostatectomy: Surgery to remove the whole prostate\n"
        "  • Thyroidectomy: A thyroidectomy removes all or part of the thyroid gland\n"
        "  • Mammography: An X-ray of the breast\n"
    )
    found = facts_in("condition", text, lexicon)
    assert {
        ("radical prostatectomy", "bodySite", "prostate"),
        ("thyroidectomy", "bodySite", "thyroid gland"),
        ("mammography", "bodySite", "breast"),
    } <= found
    assert ("surgery", "bodySite", "prostate") not in found
    assert ("X-ray", "bodySite", "breast") not in found
    own = "X-Ray\n\nRisks\n\nX-rays of the abdomen and pelvis are avoided in pregnancy.\n"
    found = facts_in("procedure", own, lexicon)
    assert {("X-ray", "bodySite", "abdomen"), ("X-ray", "bodySite", "pelvis")} <= found


def test_what_a_test_shows_is_a_body_part_only_when_named_as_one(lexicon: Lexicon) -> None:
    text = (
        "Bone Pain\n\nDiagnosis\n\n"
        "  • X-ray: Usually the first test; it can show broken bones and some tumors\n"
        "  • Chest X-ray: A chest X-ray shows the lungs and heart\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("X-ray", "bodySite", "bone") not in found
    assert {("chest X-ray", "bodySite", "lung"), ("chest X-ray", "bodySite", "heart")} <= found


def test_a_bullet_term_causes_what_its_subjectless_description_causes(lexicon: Lexicon) -> None:
    text = (
        "Lung Cancer\n\nComplications\n\n"
        "  • Brain metastasis: May cause headaches, seizures or confusion\n"
        "  • Anemia: Crowding of the bone marrow leads to reduced red blood cell production\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("brain metastasis", "causes", "seizure") in found
    assert ("anemia", "causes", "decreased red blood cell production") not in found
    passive = (
        "Multiple Myeloma\n\nSymptoms\n\n  • Tiredness and weakness: Mostly caused by anemia\n"
    )
    assert ("anemia", "causes", "weakness") in facts_in("condition", passive, lexicon)


def test_the_cause_is_the_list_nearest_its_verb(lexicon: Lexicon) -> None:
    text = (
        "Breast Cancer\n\nComplications\n\n"
        "Once breast cancer has reached the bones, bone metastasis may cause hypercalcemia. "
        "Compression of nerves by tumor growth can cause numbness. "
        "Hypercalcemia, which can be a complication of cancer, may cause confusion.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("bone metastasis", "causes", "hypercalcemia") in found
    assert ("breast cancer", "causes", "hypercalcemia") not in found
    assert ("nerve compression", "causes", "numbness") in found
    assert ("hypercalcemia", "causes", "confusion") in found
    assert ("cancer", "causes", "confusion") not in found


def test_a_coordinated_verb_keeps_the_sentence_subject(lexicon: Lexicon) -> None:
    text = (
        "Unintentional Weight Loss\n\nCauses\n\n"
        "Loss of appetite is common in depression and can lead to weight loss. "
        "Many cancers, including lung and stomach cancer, can cause weight loss.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("loss of appetite", "causes", "unintentional weight loss") in found
    assert {
        ("cancer", "causes", "unintentional weight loss"),
        ("lung cancer", "causes", "unintentional weight loss"),
        ("stomach cancer", "causes", "unintentional weight loss"),
    } <= found


def test_an_agent_after_from_causes_and_a_metastasis_from_a_cancer_started_there(
    lexicon: Lexicon,
) -> None:
    text = (
        "Back Pain\n\nCauses\n\n"
        "  • Spinal cord compression: Pressure on the spinal cord, for example from bone "
        "metastasis in the spine, is an emergency\n\n"
        "Bone metastases from kidney cancer often have a rich blood supply.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("bone metastasis", "causes", "spinal cord compression") in found
    assert ("bone metastasis", "hasPrimaryCancer", "kidney cancer") in found
    assert ("kidney cancer", "causes", "bone metastasis") not in found


def test_a_treatment_that_causes_something_has_it_as_a_side_effect(lexicon: Lexicon) -> None:
    text = (
        "Thyroid Cancer\n\nTreatment\n\n"
        "Radioactive iodine therapy can cause a dry mouth. "
        "Blood tests look for causes such as diabetes.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("radioactive iodine therapy", "hasSideEffect", "dry mouth") in found
    assert ("blood test", "hasSideEffect", "diabetes") not in found


def test_lowering_the_risk_of_a_condition_prevents_it(lexicon: Lexicon) -> None:
    text = (
        "Bisphosphonate Therapy\n\nUses\n\n"
        "Bisphosphonates and denosumab lower the risk of fragility fractures.\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("bisphosphonate", "prevents", "fragility fracture") in found
    assert ("denosumab", "prevents", "fragility fracture") in found
    assert ("fragility fracture", "treatedBy", "denosumab") not in found


def test_a_treatment_named_with_a_cause_of_a_symptom_treats_the_cause(lexicon: Lexicon) -> None:
    text = (
        "Shortness of Breath\n\nTreatment\n\n"
        "  • Bronchodilators: Inhaled medicines that open the airways in asthma and COPD\n"
        "  • Oxygen: Oxygen therapy eases breathlessness\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("asthma", "treatedBy", "bronchodilator") in found
    assert ("chronic obstructive pulmonary disease", "treatedBy", "bronchodilator") in found
    assert ("shortness of breath", "treatedBy", "bronchodilator") not in found
    sentence = (
        "Back Pain\n\nTreatment\n\n"
        "Spinal cord compression needs urgent treatment, often with corticosteroids or surgery.\n"
    )
    found = facts_in("symptom", sentence, lexicon)
    assert ("spinal cord compression", "treatedBy", "corticosteroid") in found
    assert ("back pain", "treatedBy", "corticosteroid") not in found


def test_a_verb_skips_body_parts_and_people_to_find_its_lists(lexicon: Lexicon) -> None:
    text = (
        "Fatigue\n\nTreatment\n\n"
        "Hypothyroidism is treated with thyroid hormone tablets (levothyroxine).\n\n"
        "Overview\n\nIn people with cancer, it is a side effect of medicines such as "
        "bisphosphonates.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("hypothyroidism", "treatedBy", "levothyroxine") in found
    assert ("bisphosphonate", "hasSideEffect", "cancer") not in found


def test_a_test_is_for_what_is_suspected_when_it_is_used(lexicon: Lexicon) -> None:
    text = (
        "Bone Pain\n\nDiagnosis\n\n"
        "An MRI is often used when an X-ray is normal but a fracture or osteomyelitis is "
        "still suspected.\n"
        "  • Sleep study: Records breathing overnight when obstructive sleep apnea is suspected\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("osteomyelitis", "diagnosedBy", "magnetic resonance imaging") in found
    assert ("osteomyelitis", "diagnosedBy", "X-ray") not in found
    assert ("obstructive sleep apnea", "diagnosedBy", "sleep study") in found


def test_purpose_verbs_that_look_for_and_point_to(lexicon: Lexicon) -> None:
    text = (
        "Hypercalcemia\n\nDiagnosis\n\n"
        "  • Parathyroid hormone test: A high level points to hyperparathyroidism\n"
        "  • Bone scan: Looks for bone metastasis elsewhere in the skeleton\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("hyperparathyroidism", "diagnosedBy", "parathyroid hormone test") in found
    assert ("bone metastasis", "diagnosedBy", "bone scan") in found


def test_tests_in_a_symptom_diagnosis_bullet_and_body_part_terms(lexicon: Lexicon) -> None:
    text = (
        "Unintentional Weight Loss\n\nDiagnosis\n\n"
        "  • Blood tests: A complete blood count (CBC) is usually done first\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("unintentional weight loss", "diagnosedBy", "complete blood count") in found
    uses = (
        "Magnetic Resonance Imaging\n\nUses\n\n"
        "  • Brain conditions: Such as brain tumors, stroke and multiple sclerosis\n"
    )
    found = facts_in("procedure", uses, lexicon)
    assert ("stroke", "diagnosedBy", "magnetic resonance imaging") in found
    assert ("multiple sclerosis", "diagnosedBy", "magnetic resonance imaging") in found


def test_a_word_inside_a_name_is_not_a_spread_cue(lexicon: Lexicon) -> None:
    text = (
        "Pathologic Fracture\n\nTreatment\n\n"
        "Bisphosphonates help prevent fractures in people with bone metastasis or multiple "
        "myeloma.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("bone metastasis", "hasPrimaryCancer", "multiple myeloma") not in found


def test_a_bullet_term_is_made_specific_by_the_head_of_a_name(lexicon: Lexicon) -> None:
    text = (
        "Breast Cancer\n\nCauses and Risk Factors\n\n"
        "  • Family history: A family history of breast cancer increases the risk\n"
        "  • Nausea and vomiting: Well controlled with anti-nausea medicines\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("breast cancer", "hasRiskFactor", "family history of breast cancer") in found
    assert ("breast cancer", "hasRiskFactor", "family history of cancer") not in found


def test_a_subject_denied_after_it_and_comparisons_are_not_facts(lexicon: Lexicon) -> None:
    text = (
        "Breast Cancer\n\nSymptoms\n\nBreast pain is not a common early symptom of breast cancer. "
        "Fatigue is not always present.\n\nRisk Factors\n\n"
        "Thyroid cancer is much more common in women than in men.\n\nDiagnosis\n\n"
        "If MRI is not possible, computed tomography may be used instead.\n"
    )
    article = parse(text, Path("conditions/test.txt"), "condition")
    assertions = list(extract(article, lexicon).assertions)
    assert ("breast cancer", "hasSymptom", "breast pain") in triples(assertions, negated=True)
    assert ("breast cancer", "hasSymptom", "fatigue") in triples(assertions)
    assert ("thyroid cancer", "hasRiskFactor", "male sex") not in triples(assertions)
    assert ("breast cancer", "diagnosedBy", "magnetic resonance imaging") in triples(assertions)


def test_a_treatment_that_harms_or_prevents_does_not_treat_the_topic(lexicon: Lexicon) -> None:
    text = (
        "Prostate Cancer\n\nTreatment\n\n"
        "Bisphosphonates or denosumab help to prevent skeletal-related events. "
        "Radiation therapy to the neck and thyroidectomy can lead to it. "
        "Surgery is used for early disease.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("prostate cancer", "treatedBy", "denosumab") not in found
    assert ("prostate cancer", "treatedBy", "thyroidectomy") not in found
    assert ("prostate cancer", "treatedBy", "surgery") in found
    fatigue = (
        "Fatigue\n\nTreatment\n\n"
        "Fatigue is one of the most common side effects of chemotherapy. "
        "A therapist can teach exercises that relieve fatigue and help prevent it coming back.\n"
    )
    found = facts_in("symptom", fatigue, lexicon)
    assert ("fatigue", "treatedBy", "chemotherapy") not in found


def test_effects_in_a_uses_section_are_not_what_the_treatment_is_for(lexicon: Lexicon) -> None:
    text = (
        "Radiation Therapy\n\nUses\n\n"
        "Pressure on the spinal cord can cause back pain or numbness in the legs.\n\n"
        "During Treatment\n\nNurses watch for allergic reactions during infusions.\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("back pain", "treatedBy", "radiation therapy") not in found
    assert ("allergic reaction", "treatedBy", "radiation therapy") not in found


def test_what_the_article_condition_causes_is_its_complication(lexicon: Lexicon) -> None:
    text = (
        "Hypothyroidism\n\nComplications\n\n"
        "Without treatment, hypothyroidism can lead to heart disease.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("hypothyroidism", "hasComplication", "heart disease") in found
    assert ("hypothyroidism", "causes", "heart disease") not in found
    denied = "Hypothyroidism\n\nSymptoms\n\nHypothyroidism does not usually cause weight loss.\n"
    article = parse(denied, Path("conditions/test.txt"), "condition")
    negated = triples(list(extract(article, lexicon).assertions), negated=True)
    assert ("hypothyroidism", "hasSymptom", "unintentional weight loss") in negated
    assert ("hypothyroidism", "causes", "unintentional weight loss") not in negated


def test_cancers_that_spread_are_not_causes_of_the_topic(lexicon: Lexicon) -> None:
    text = (
        "Pathologic Fracture\n\nCauses\n\n"
        "Cancers that often spread to bone include breast and prostate cancer.\n"
        "Some tumors, including certain kidney cancers, cause hypercalcemia even without "
        "spreading to bone.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("breast cancer", "causes", "pathologic fracture") not in found
    assert ("breast cancer", "metastasizesTo", "bone") in found


def test_signs_name_the_symptoms_of_a_condition(lexicon: Lexicon) -> None:
    text = (
        "Bisphosphonate Therapy\n\nRecovery\n\n"
        "Tell your doctor about jaw pain or loose teeth, which can be early signs of ONJ.\n\n"
        "Risks\n\n  • Peripheral neuropathy: Some drugs damage the nerves, felt as numbness or "
        "tingling\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("osteonecrosis of the jaw", "hasSymptom", "jaw pain") in found
    assert ("osteonecrosis of the jaw", "hasSymptom", "loose teeth") in found
    assert ("peripheral neuropathy", "hasSymptom", "tingling") in found
    assert ("jaw pain", "hasSymptom", "osteonecrosis of the jaw") not in found


def test_measures_that_lower_a_risk_reduce_the_risk_of_their_condition(lexicon: Lexicon) -> None:
    text = (
        "Breast Cancer\n\nPrevention\n\n"
        "Keeping a healthy weight, staying physically active and limiting alcohol may lower "
        "the risk. An iron-rich diet helps prevent iron deficiency.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("breast cancer", "riskReducedBy", "healthy weight") in found
    assert ("breast cancer", "riskReducedBy", "limiting alcohol") in found
    assert ("iron deficiency", "riskReducedBy", "iron-rich diet") in found
    assert ("breast cancer", "riskReducedBy", "iron-rich diet") not in found
    assert ("physical activity", "hasSideEffect", "breast cancer") not in found


def test_more_treatment_wordings(lexicon: Lexicon) -> None:
    text = (
        "Hypercalcemia\n\nTreatment\n\n"
        "  • Intravenous fluids: Fluids given through a drip correct dehydration\n"
        "  • Targeted therapy: Trastuzumab is used for HER2-positive breast cancer\n"
        "A hip fracture usually needs surgery. "
        "A high calcium level caused by cancer can be brought down with zoledronic acid.\n\n"
        "Complications\n\n"
        "  • Nausea and vomiting: Usually well controlled with anti-nausea medicines\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("dehydration", "treatedBy", "intravenous fluids") in found
    assert ("HER2-positive breast cancer", "treatedBy", "trastuzumab") in found
    assert ("hip fracture", "treatedBy", "surgery") in found
    assert ("hypercalcemia", "treatedBy", "zoledronic acid") in found
    assert ("cancer", "treatedBy", "zoledronic acid") not in found
    assert ("nausea", "treatedBy", "antiemetic") in found


def test_treatments_in_a_symptom_treatment_bullet_treat_the_symptom(lexicon: Lexicon) -> None:
    text = (
        "Bone Pain\n\nTreatment\n\n"
        "  • Pain relievers: Paracetamol or opioids can ease bone pain\n"
        "  • Depression: Antidepressants, talking therapy or both\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("bone pain", "treatedBy", "paracetamol") in found
    assert ("bone pain", "treatedBy", "opioid") in found
    assert ("bone pain", "treatedBy", "antidepressant") not in found


def test_an_faq_asking_where_a_cancer_spreads_is_answered_by_sites(lexicon: Lexicon) -> None:
    text = (
        "Kidney Cancer\n\nFrequently Asked Questions (FAQs)\n\nWhere does kidney cancer spread?\n"
        "The lungs and bones are the most common sites.\n\n"
        "Is multiple myeloma the same as bone metastasis?\nNo. Myeloma starts in the bone marrow.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("kidney cancer", "metastasizesTo", "lung") in found
    assert ("kidney cancer", "metastasizesTo", "bone") in found
    assert ("multiple myeloma", "metastasizesTo", "bone marrow") not in found


def test_a_harm_bullet_naming_a_drug_is_that_drugs_side_effect(lexicon: Lexicon) -> None:
    text = (
        "Hormone Therapy\n\nRisks and Side Effects\n\n"
        "  • Fatigue: Tiredness is common, especially with ADT\n"
        "  • Nausea: Usually well controlled with anti-nausea medicines (antiemetics)\n"
        "  • Blood clots: Clots can form; anticoagulants help prevent them\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("androgen deprivation therapy", "hasSideEffect", "fatigue") in found
    assert ("hormone therapy", "hasSideEffect", "fatigue") not in found
    assert ("hormone therapy", "hasSideEffect", "nausea") in found
    assert ("antiemetic", "hasSideEffect", "nausea") not in found
    assert ("anticoagulant", "hasSideEffect", "blood clot") not in found


def test_side_effects_named_in_apposition_or_by_unnamed_subjects(lexicon: Lexicon) -> None:
    text = (
        "Breast Cancer\n\nComplications\n\n"
        "  • Lymphedema: Swelling of the arm, a possible side effect of surgery\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("surgery", "hasSideEffect", "lymphedema") in found
    assert ("surgery", "hasSideEffect", "swelling") not in found
    procedure = (
        "Chemotherapy\n\nPreparation\n\n"
        "Because some drugs can cause infertility, ask about egg freezing.\n\n"
        "Side Effects\n\n"
        "  • Infections: A low white blood cell count (neutropenia) can lead to infections\n\n"
        "Uses\n\nPressure on the spinal cord can cause back pain.\n"
    )
    found = facts_in("procedure", procedure, lexicon)
    assert ("chemotherapy", "hasSideEffect", "infertility") in found
    assert ("chemotherapy", "hasSideEffect", "neutropenia") in found
    assert ("chemotherapy", "hasSideEffect", "back pain") not in found


def test_the_article_concept_takes_part_in_verbs_and_comparisons_find(lexicon: Lexicon) -> None:
    text = (
        "X-Ray\n\nResults\n\nA bone scan, MRI or CT is better at finding early bone metastases.\n"
        "\nUses\n\n  • Bone problems: X-rays can show pathologic fractures\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("bone metastasis", "diagnosedBy", "bone scan") in found
    assert ("bone metastasis", "diagnosedBy", "computed tomography") in found
    assert ("pathologic fracture", "diagnosedBy", "X-ray") in found


def test_cause_nouns_agents_and_people_are_not_causes(lexicon: Lexicon) -> None:
    text = (
        "Muscle Weakness\n\nCauses\n\n"
        "Low potassium (hypokalemia) is a well-known cause, and hypercalcemia may cause "
        "weakness. Most back pain has a mechanical cause such as muscle strain. "
        "In people with osteoporosis, a bone of the spine can collapse, causing back pain. "
        "Pressure on the spinal cord, for instance from bone metastasis, can cause numbness. "
        "Bone metastasis is the most common cause of bone pain.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("hypokalemia", "causes", "hypercalcemia") not in found
    assert ("back pain", "causes", "muscle strain") not in found
    assert ("osteoporosis", "causes", "back pain") not in found
    assert ("bone metastasis", "causes", "numbness") not in found
    assert ("bone metastasis", "causes", "bone pain") in found


def test_what_another_condition_causes_is_not_the_articles_complication(lexicon: Lexicon) -> None:
    text = (
        "Kidney Cancer\n\nComplications\n\n"
        "Bone metastasis can lead to bone pain and pathologic fractures. "
        "It can also cause anemia, leading to fatigue.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("kidney cancer", "hasComplication", "pathologic fracture") not in found
    assert ("bone metastasis", "causes", "pathologic fracture") in found
    assert ("kidney cancer", "hasComplication", "anemia") in found


def test_stopping_a_drug_or_a_denial_after_the_subject_is_no_treatment(lexicon: Lexicon) -> None:
    text = (
        "Pathologic Fracture\n\nTreatment\n\n"
        "A cast on its own usually does not heal a fracture through a tumor. "
        "Whether to pause bisphosphonates is decided by the team. "
        "Radiation therapy to the neck, thyroidectomy and radioactive iodine can all lead to it.\n"
    )
    article = parse(text, Path("conditions/test.txt"), "condition")
    assertions = list(extract(article, lexicon).assertions)
    assert ("pathologic fracture", "treatedBy", "cast") in triples(assertions, negated=True)
    assert ("pathologic fracture", "treatedBy", "cast") not in triples(assertions)
    assert ("pathologic fracture", "treatedBy", "bisphosphonate") not in triples(assertions)
    assert ("pathologic fracture", "treatedBy", "radiation therapy") not in triples(assertions)


def test_a_flat_list_of_effects_and_an_agent_after_adjectives(lexicon: Lexicon) -> None:
    text = (
        "Breast Cancer\n\nComplications\n\n"
        "Bone metastasis may cause bone pain, fractures and hypercalcemia.\n\n"
        "Causes\n\n  • Iron deficiency: In adults it often results from slow, long-term bleeding\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("bone metastasis", "causes", "bone pain") in found
    assert ("bone metastasis", "causes", "hypercalcemia") in found
    assert ("hypercalcemia", "causes", "bone pain") not in found
    assert ("bleeding", "causes", "iron deficiency") in found


def test_an_object_pronoun_stands_for_the_bullets_term(lexicon: Lexicon) -> None:
    text = (
        "Hormone Therapy\n\nRisks\n\n"
        "  • Bone loss: It can lead to osteoporosis; bisphosphonates may be given to prevent it\n"
        "  • Blood clots: Anticoagulants and early walking help prevent them\n"
        "  • Nausea: Bisphosphonates may be given to prevent vomiting\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("bisphosphonate", "prevents", "bone loss") in found
    assert ("anticoagulant", "prevents", "blood clot") in found
    assert ("blood clot", "riskReducedBy", "early mobilization") in found
    assert ("bisphosphonate", "prevents", "nausea") not in found


def test_a_clause_opening_with_it_continues_the_previous_clauses_subject(
    lexicon: Lexicon,
) -> None:
    text = (
        "Kidney Cancer\n\nKidney cancer is common. In adults, renal cell carcinoma is the main "
        "type; it starts in the lining of the renal tubules.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("renal cell carcinoma", "affects", "renal tubule") in found
    assert ("kidney cancer", "affects", "renal tubule") not in found


def test_a_narrower_place_and_organs_named_after_a_generic_noun(lexicon: Lexicon) -> None:
    text = (
        "Lung Cancer\n\nLung cancer is a cancer that begins in the cells of the lungs, "
        "usually in the lining of the airways. It can disturb many organs, especially the "
        "kidneys and the brain.\n"
    )
    found = facts_in("condition", text, lexicon)
    assert {"lung", "airway", "kidney", "brain"} <= {
        o for s, r, o in found if (s, r) == ("lung cancer", "affects")
    }
    plain = "Lung Cancer\n\nLung cancer begins in the lungs. Smoking harms many people.\n"
    assert ("lung cancer", "affects", "airway") not in facts_in("condition", plain, lexicon)


def test_a_comparison_is_not_a_risk_factor(lexicon: Lexicon) -> None:
    text = (
        "Kidney Cancer\n\nCauses\n\n"
        "  • Male sex: Kidney cancer is more common in men than in women\n"
    )
    found = facts_in("condition", text, lexicon)
    assert ("kidney cancer", "hasRiskFactor", "male sex") in found
    assert ("kidney cancer", "hasRiskFactor", "female sex") not in found


def test_without_spreading_is_no_statement_of_spread(lexicon: Lexicon) -> None:
    text = (
        "Hypercalcemia\n\nCauses\n\n"
        "Some lung cancers cause hypercalcemia even without spreading to bone. "
        "Breast cancer often spreads to bone.\n"
    )
    article = parse(text, Path("conditions/test.txt"), "condition")
    assertions = list(extract(article, lexicon).assertions)
    every = triples(assertions) | triples(assertions, negated=True)
    assert ("lung cancer", "metastasizesTo", "bone") not in every
    assert ("breast cancer", "metastasizesTo", "bone") in every


def test_a_complication_named_in_apposition(lexicon: Lexicon) -> None:
    text = (
        "Bisphosphonates\n\nWhy It Is Done\n\n"
        "They lower the risk of skeletal-related events (SREs), the serious bone complications "
        "of bone metastases. Hypercalcemia, which can be a complication of cancer, causes "
        "weakness.\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("bone metastasis", "hasComplication", "skeletal-related event") in found
    assert ("cancer", "hasComplication", "hypercalcemia") in found
    assert ("hypercalcemia", "hasComplication", "weakness") not in found


def test_a_phrase_after_a_list_qualifies_each_item(lexicon: Lexicon) -> None:
    names = {m.concept.label for m in lexicon.find("weakness or numbness in the legs")}
    assert names == {"leg weakness", "numbness"}
    plain = {m.concept.label for m in lexicon.find("weakness or numbness")}
    assert plain == {"weakness", "numbness"}
    # items of different kinds are no list: "lung cancer, and X-rays of bones"
    mixed = {m.concept.label for m in lexicon.find("lung cancer, and X-rays of bones")}
    assert "primary bone cancer" not in mixed


def test_it_after_a_semicolon_causes_what_follows(lexicon: Lexicon) -> None:
    text = (
        "Weight Loss\n\nCauses\n\nHypothyroidism does not usually cause weight loss; "
        "it more often leads to weight gain.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("hypothyroidism", "causes", "weight gain") in found
    alone = "Weight Loss\n\nCauses\n\nIt more often leads to weight gain.\n"
    assert ("hypothyroidism", "causes", "weight gain") not in facts_in("symptom", alone, lexicon)


def test_a_bullet_defining_its_term_makes_the_term_the_cause(lexicon: Lexicon) -> None:
    text = (
        "Chemotherapy\n\nRisks\n\n"
        "  • Anemia: A low red blood cell count, found on the CBC, can cause tiredness\n"
        "  • Anemia: Crowding of the bone marrow leads to bleeding\n"
    )
    found = facts_in("procedure", text, lexicon)
    assert ("anemia", "causes", "fatigue") in found
    assert ("chemotherapy", "hasSideEffect", "fatigue") not in found
    assert ("anemia", "causes", "bleeding") not in found


def test_a_condition_defined_as_a_disease_of_a_body_part_affects_it(lexicon: Lexicon) -> None:
    text = (
        "Bone Pain\n\nCauses\n\n"
        "  • Pneumonia: An infection of the lungs, usually caused by bacteria\n"
        "  • Gadolinium: It is linked to nephrogenic systemic fibrosis, a serious condition of "
        "the skin and joints\n"
        "  • Injury: A fall can break a bone\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("pneumonia", "affects", "lung") in found
    assert ("nephrogenic systemic fibrosis", "affects", "skin") in found
    assert ("nephrogenic systemic fibrosis", "affects", "joint") in found
    assert not {t for t in found if t[0] == "injury" and t[1] == "affects"}


def test_an_affirmed_question_and_the_nearest_condition_before_comes_with(
    lexicon: Lexicon,
) -> None:
    text = (
        "Numbness\n\nCauses\n\n"
        "  • Pneumonia: An infection of the lungs, produces pain and often comes with fever\n\n"
        "Frequently Asked Questions\n\nIs numbness a sign of a stroke?\nIt can be.\n\n"
        "Is numbness a sign of anemia?\nNo, it is not.\n"
    )
    found = facts_in("symptom", text, lexicon)
    assert ("stroke", "hasSymptom", "numbness") in found
    assert ("anemia", "hasSymptom", "numbness") not in found
    assert ("pneumonia", "hasSymptom", "fever") in found
