"""The applicant profile: the one schema every programme reads.

Every field is optional and absence means *unknown*, never "no": the evaluator turns a
missing fact into an unknown criterion and a question to ask, not into a refusal. An empty
list means the person told us there is nothing (no degrees), which is different from not
saying. Codes come from standard vocabularies (see ``vocab``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Final, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from talentvisa.language_levels import ABILITIES, clb_level, map_score, on_clb_scale
from talentvisa.messages import said_error
from talentvisa.register import check_institution_id
from talentvisa.vocab import (
    Cefr,
    Country,
    Currency,
    EducationLevel,
    IscedField,
    IscoCode,
    IsoDate,
    Language,
)

NonNegative = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
# A Canadian Language Benchmark / Niveaux de compétence linguistique canadiens level.
ClbLevel = Annotated[int, Field(ge=0, le=12)]
# Free text in a profile (a name, a visa's code): longer is not a fact but a payload.
TEXT_MAX: Final = 200


def _implies(data: Any, given: str, flag: str) -> Any:
    """A stated ``given`` sets ``flag`` true; saying the flag is false as well is an error."""
    if isinstance(data, dict) and data.get(given) is not None:
        if data.get(flag) is False:
            raise said_error("implied_flag", given=given, flag=flag)
        data = {**data, flag: True}
    return data


class Fact(BaseModel):
    """Base for every profile part: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Period(StrEnum):
    year = "year"
    month = "month"
    week = "week"
    hour = "hour"


class Money(Fact):
    amount: NonNegative
    currency: Currency
    period: Period | None = Field(
        default=None, description="For pay: per year, month, week or hour. Absent for a lump sum."
    )


class Ranking(StrEnum):
    qs = "qs"
    the = "the"
    arwu = "arwu"
    other = "other"


class ListMembership(StrEnum):
    """What the person says about an institution and the named list a programme reads by name
    (Korea names universities and companies as Top-Tier equivalents).

    ``listed`` and ``not_listed`` answer without a name; ``not_said`` (the default: nothing
    was said) leaves the answer to the name, if one is given.
    """

    listed = "listed"
    not_listed = "not_listed"
    not_said = "not_said"


class Institution(Fact):
    id: Annotated[str | None, AfterValidator(check_institution_id)] = Field(
        default=None,
        description="Institution register id, e.g. 'iit-delhi': the rules then read its rankings "
        "and lists from the register on the assessment date (see /api/v1/vocab/institutions).",
    )
    name: str | None = Field(default=None, max_length=TEXT_MAX)
    country: Country | None = None
    world_rank: int | None = Field(
        default=None, ge=1, description="Best position in a world university ranking."
    )
    ranking: Ranking | None = Field(default=None, description="Which ranking world_rank is from.")
    ranking_year: int | None = Field(default=None, ge=1900, le=2100)
    ranked: bool | None = Field(
        default=None,
        description="Appears in a world university ranking; true whenever world_rank is given.",
    )
    research_institution: bool | None = Field(
        default=None, description="A research institute rather than a university."
    )
    named_list: ListMembership = Field(
        default=ListMembership.not_said,
        description="Whether it is on the named list of universities or companies that the "
        "destination's rules read by name: 'not_listed' says it is not, without a name.",
    )
    jp_jfind_list: bool | None = Field(
        default=None,
        description="On Japan's J-Find university list (Immigration Services Agency) in force: "
        "filled from the register; left unknown where the part of the list we hold omits it.",
    )
    jp_hsp_list: bool | None = Field(
        default=None,
        description="A university specified by Japan's Ministry of Justice notice for the "
        "Highly Skilled Professional 10-point bonus: filled from the register where it names it.",
    )
    uk_hpi_list: bool | None = Field(
        default=None,
        description="On the UK Home Office's High Potential Individual Global Universities "
        "List for the year of the degree's award: filled from the register (which reads the "
        "award date); left unknown where the part of that list we hold omits it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _rank_implies_ranked(cls, data: Any) -> Any:
        return _implies(data, "world_rank", "ranked")


class Recognition(StrEnum):
    """Outcome of a destination country's assessment of a foreign qualification."""

    full = "full"  # recognised, or comparable to a domestic qualification
    partial = "partial"  # recognised subject to adjustment or compensation measures
    none = "none"
    pending = "pending"


class Education(Fact):
    level: EducationLevel | None = None
    field: IscedField | None = Field(
        default=None, description="ISCED-F 2013 field code, e.g. '0613' software development."
    )
    institution: Institution | None = None
    completed: IsoDate | None = Field(
        default=None, description="Date the qualification was awarded."
    )
    duration_years: Annotated[Decimal, Field(gt=0, le=15)] | None = None
    state_recognised: bool | None = Field(
        default=None, description="Recognised by the state of the country where it was obtained."
    )
    recognition: dict[Country, Recognition] | None = Field(
        default=None, description="Recognition by destination country, e.g. {DE: full}."
    )
    shortage_occupation: dict[Country, bool] | None = Field(
        default=None,
        description="Whether the qualification is for an occupation on that country's "
        "shortage list, e.g. {DE: true}.",
    )
    nzqf_level: int | None = Field(
        default=None,
        ge=1,
        le=10,
        description="New Zealand Qualifications Framework level (1-10): the listed level of a "
        "New Zealand qualification, or the level an NZQA International Qualifications "
        "Assessment recognises for a foreign one.",
    )


class WorkKind(StrEnum):
    employment = "employment"
    teaching = "teaching"
    research = "research"
    postdoc = "postdoc"
    self_employment = "self_employment"


class Work(Fact):
    kind: WorkKind | None = None
    occupation: IscoCode | None = Field(default=None, description="ISCO-08 code, e.g. '2512'.")
    field: IscedField | None = Field(default=None, description="ISCED-F field of the work.")
    employer: Institution | None = None
    country: Country | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    ongoing: bool | None = Field(default=None, description="Still doing this work today.")
    hours_per_week: Annotated[Decimal, Field(gt=0, le=168)] | None = None
    skilled: dict[Country, bool] | None = Field(
        default=None,
        description="Whether the work counts as skilled work experience under that country's "
        "rules, e.g. {NZ: true}: for New Zealand, full-time (at least 30 guaranteed hours a "
        "week) and paid at least the median wage then in effect (ANZSCO skill level 1-3) or "
        "1.5 times it (level 4-5).",
    )
    ca_teer: int | None = Field(
        default=None,
        ge=0,
        le=5,
        description="Canada's NOC 2021 TEER category (0-5) of the occupation; 0-3 is "
        "skilled work for Express Entry.",
    )
    ca_skilled_trade: bool | None = Field(
        default=None,
        description="A skilled trade eligible for Canada's Federal Skilled Trades Program.",
    )

    @model_validator(mode="before")
    @classmethod
    def _end_means_not_ongoing(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("end") is not None:
            if data.get("ongoing") is True:
                raise said_error("ongoing_with_end")
            data = {**data, "ongoing": False}
        return data

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.start and self.end and self.end < self.start:
            raise said_error("end_before_start")
        return self


class RegistrationStatus(StrEnum):
    """Occupational registration as the registration body records it."""

    full = "full"
    provisional = "provisional"
    pending = "pending"  # applied for, not yet granted


class Registration(Fact):
    """An occupational registration (licence to practise), e.g. with a New Zealand body."""

    country: Country | None = None
    occupation: str | None = Field(
        default=None, max_length=TEXT_MAX, description="The registered occupation."
    )
    body: str | None = Field(
        default=None, max_length=TEXT_MAX, description="The registration body."
    )
    status: RegistrationStatus | None = None
    training_years: Annotated[Decimal, Field(ge=0, le=20)] | None = Field(
        default=None,
        description="Minimum years of training required to gain this registration, as "
        "Immigration New Zealand's list of registrations eligible for points gives it.",
    )


class CapExempt(StrEnum):
    """US H-1B cap-exempt employer kinds, INA §214(g)(5)(A)-(B)."""

    higher_education = "higher_education"
    affiliated_nonprofit = "affiliated_nonprofit"
    nonprofit_research = "nonprofit_research"
    government_research = "government_research"
    no = "no"


class UsPetitionRequest(StrEnum):
    """What a US H-1B petition asks USCIS for: a change of status, extension or amendment of
    stay for someone in the US, or notification of a consulate, port of entry or pre-flight
    inspection (the Proclamation 10973 payment turns on which)."""

    change_of_status = "change_of_status"
    extension = "extension"
    amendment = "amendment"
    consular_notification = "consular_notification"
    port_of_entry_notification = "port_of_entry_notification"
    pre_flight_inspection = "pre_flight_inspection"


class Employer(Fact):
    name: str | None = Field(default=None, max_length=TEXT_MAX)
    headcount: int | None = Field(default=None, ge=0, description="Full-time equivalent staff.")
    nonprofit: bool | None = None
    accredited: bool | None = Field(default=None, description="Accredited employer (NZ).")
    cap_exempt: CapExempt | None = None
    h1b_l_share_over_half: bool | None = None
    # United Kingdom (Skilled Worker): facts about the sponsoring employer
    uk_licensed_sponsor: bool | None = Field(
        default=None,
        description="Holds a Home Office sponsor licence for the Skilled Worker route "
        "(appears on the register of licensed sponsors).",
    )
    uk_small_or_charitable: bool | None = Field(
        default=None,
        description="A small or charitable sponsor for the UK Immigration Skills Charge "
        "(the lower rate); false for a medium or large sponsor.",
    )


class JobOffer(Fact):
    country: Country | None = None
    employer: Employer | None = None
    occupation: IscoCode | None = None
    us_soc: str | None = Field(default=None, pattern=r"^\d{2}-\d{4}$")
    salary: Money | None = None
    hours_per_week: Annotated[Decimal, Field(gt=0, le=168)] | None = None
    duration_months: int | None = Field(default=None, ge=0)
    start: IsoDate | None = None
    us_wage_level: int | None = Field(default=None, ge=1, le=4, description="OEWS level I-IV.")
    us_petition: UsPetitionRequest | None = Field(
        default=None, description="What the US H-1B petition asks USCIS for."
    )
    skill_level: int | None = Field(
        default=None, ge=1, le=5, description="ANZSCO skill level 1-5 of the job (NZ)."
    )
    shortage_occupation: bool | None = Field(
        default=None, description="On the destination country's shortage-occupation list."
    )
    industry: str | None = Field(
        default=None,
        max_length=TEXT_MAX,
        pattern=r"^[a-z][a-z0-9-]*$",
        description="Industry of the job as a short slug, e.g. 'semiconductors', 'bio'.",
    )
    # United Kingdom (Skilled Worker): facts about the sponsored job, as the sponsor states them
    uk_rqf_level: int | None = Field(
        default=None,
        ge=1,
        le=8,
        description="RQF skill level (1-8) of the job's occupation as Appendix Skilled "
        "Occupations lists it (UK).",
    )
    uk_going_rate: Money | None = Field(
        default=None,
        description="The going rate for the job's occupation code in Appendix Skilled "
        "Occupations (UK), as the sponsor states it.",
    )
    uk_temporary_shortage_list: bool | None = Field(
        default=None,
        description="The job's occupation is on the UK Temporary Shortage List.",
    )
    uk_isc_exempt: bool | None = Field(
        default=None,
        description="The sponsorship is exempt from the UK Immigration Skills Charge "
        "(e.g. an in-country switch from Student, a graduate training programme, a "
        "PhD-level or listed research occupation).",
    )


class LanguageTest(StrEnum):
    ielts = "ielts"
    toefl_ibt = "toefl_ibt"
    pte_academic = "pte_academic"
    goethe = "goethe"
    telc = "telc"
    testdaf = "testdaf"
    hsk = "hsk"
    topik = "topik"
    jlpt_n1 = "jlpt_n1"  # Japanese-Language Proficiency Test: the level passed is the result
    jlpt_n2 = "jlpt_n2"
    jlpt_n3 = "jlpt_n3"
    jlpt_n4 = "jlpt_n4"
    jlpt_n5 = "jlpt_n5"
    bjt = "bjt"  # BJT Business Japanese Proficiency Test (score 0-800)
    # Canada's Express Entry tests, scored per ability (mapped to CLB/NCLC, language_levels)
    ielts_general = "ielts_general"  # IELTS General Training
    celpip_general = "celpip_general"  # CELPIP-General
    tcf_canada = "tcf_canada"  # Test de connaissance du français Canada
    other = "other"


class LanguageResult(Fact):
    language: Language | None = None
    test: LanguageTest | None = None
    score: NonNegative | None = None
    cefr: Cefr | None = Field(
        default=None, description="CEFR level, as certified or mapped from the test score."
    )
    native: bool | None = None
    taken: IsoDate | None = None
    cefr_basis: str | None = Field(
        default=None,
        max_length=TEXT_MAX,
        description="Where the CEFR level comes from: 'stated', or the id of the published "
        "score mapping used (see talentvisa.language_levels). Filled in when loading.",
    )

    @model_validator(mode="before")
    @classmethod
    def _map_score_to_cefr(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("cefr_basis") is not None:
            return data
        if data.get("cefr") is not None:
            return {**data, "cefr_basis": "stated"}
        test, score = data.get("test"), data.get("score")
        if test is None or score is None:
            return data
        try:
            mapped = map_score(str(test), Decimal(str(score)))
        except ArithmeticError:
            return data  # the score's own validation reports it
        if mapped is None:
            return data
        level, mapping = mapped
        return {**data, "cefr": level.value, "cefr_basis": mapping.id}

    # --- Per-ability results and their CLB/NCLC levels (Canada's Express Entry) ---------
    listening: NonNegative | None = Field(
        default=None, description="Listening score of a test scored per ability."
    )
    reading: NonNegative | None = Field(
        default=None, description="Reading score of a test scored per ability."
    )
    writing: NonNegative | None = Field(
        default=None, description="Writing score of a test scored per ability."
    )
    speaking: NonNegative | None = Field(
        default=None, description="Speaking score of a test scored per ability."
    )
    clb_listening: ClbLevel | None = Field(
        default=None,
        description="Canadian Language Benchmark (NCLC for French) in listening: stated, or "
        "mapped from the listening score with IRCC's equivalence table (data/clb.yaml).",
    )
    clb_reading: ClbLevel | None = Field(default=None, description="CLB/NCLC in reading.")
    clb_writing: ClbLevel | None = Field(default=None, description="CLB/NCLC in writing.")
    clb_speaking: ClbLevel | None = Field(default=None, description="CLB/NCLC in speaking.")

    @model_validator(mode="before")
    @classmethod
    def _map_abilities_to_clb(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        test = data.get("test")
        scores = {a: data.get(a) for a in ABILITIES if data.get(a) is not None}
        if scores and test is None:
            raise said_error("ability_without_test")
        out = dict(data)
        for ability, score in scores.items():
            try:
                value = Decimal(str(score))
            except ArithmeticError:
                continue  # the score's own validation reports it
            if not on_clb_scale(str(test), ability, value):
                raise said_error("ability_off_scale", ability=ability, test=str(test))
            if out.get(f"clb_{ability}") is None:
                out[f"clb_{ability}"] = clb_level(str(test), ability, value)
        return out


class Relation(StrEnum):
    spouse = "spouse"
    partner = "partner"
    child = "child"
    parent = "parent"
    sibling = "sibling"  # brother or sister, by blood, marriage, common-law or adoption


class FamilyMember(Fact):
    relation: Relation | None = None
    birth_date: IsoDate | None = None
    accompanying: bool | None = None
    applying_jointly: bool | None = Field(
        default=None,
        description="Applies together with the applicant and meets the same conditions.",
    )
    # --- What Canada's Express Entry reads of a family member -----------------------------
    canadian_or_pr: bool | None = Field(
        default=None, description="A Canadian citizen or permanent resident."
    )
    education_level: EducationLevel | None = Field(
        default=None,
        description="Highest completed education (a foreign credential with an Educational "
        "Credential Assessment), for a spouse or partner.",
    )
    clb_listening: ClbLevel | None = Field(
        default=None, description="A spouse's or partner's CLB/NCLC in listening."
    )
    clb_reading: ClbLevel | None = Field(default=None, description="CLB/NCLC in reading.")
    clb_writing: ClbLevel | None = Field(default=None, description="CLB/NCLC in writing.")
    clb_speaking: ClbLevel | None = Field(default=None, description="CLB/NCLC in speaking.")
    ca_work_years: int | None = Field(
        default=None,
        ge=0,
        le=60,
        description="Whole years of full-time skilled (TEER 0-3) work in Canada in the last "
        "10 years, for a spouse or partner.",
    )


class StayPurpose(StrEnum):
    study = "study"
    work = "work"
    job_search = "job_search"
    family = "family"
    tourism = "tourism"
    other = "other"


class Stay(Fact):
    country: Country | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    purpose: StayPurpose | None = None
    lawful: bool | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.start and self.end and self.end < self.start:
            raise said_error("end_before_start")
        return self


class UsStatus(StrEnum):
    """Current US immigration status of someone in the United States."""

    h1b = "h1b"
    f1 = "f1"  # student, including OPT and cap-gap
    other_nonimmigrant = "other_nonimmigrant"  # another lawful nonimmigrant status
    out_of_status = "out_of_status"  # in the US without maintaining a lawful status


class EquivalenceBasis(StrEnum):
    """Who found a qualification equivalent to a US degree, 8 CFR 214.2(h)(4)(iii)(D)(1)-(5)."""

    college_official = "college_official"  # (1) an official who grants college credit
    equivalency_exam = "equivalency_exam"  # (2) CLEP, PONSI or similar exams
    credential_evaluation = "credential_evaluation"  # (3) a foreign-credential evaluation service
    professional_body = "professional_body"  # (4) certification by a professional association
    uscis = "uscis"  # (5) USCIS itself, e.g. in an earlier approval


class UsDegreeEquivalence(Fact):
    level: EducationLevel | None = Field(
        default=None, description="The US degree level the evaluation found, e.g. bachelor."
    )
    basis: EquivalenceBasis | None = None
    field: IscedField | None = None


class VisaHeld(Fact):
    country: Country | None = None
    category: str | None = Field(
        default=None, max_length=TEXT_MAX, description="The visa's own code, e.g. 'H-1B'."
    )
    valid_from: IsoDate | None = None
    valid_until: IsoDate | None = None


class UkTalentField(StrEnum):
    """The UK Global Talent fields, with their endorsing bodies."""

    academia_research = "academia_research"  # Royal Society, British Academy, RAEng, UKRI
    arts_culture = "arts_culture"  # Arts Council England
    digital_technology = "digital_technology"  # Tech Nation


class UkEndorsement(StrEnum):
    """A UK Global Talent endorsement, as the endorsing body granted it."""

    exceptional_talent = "exceptional_talent"  # a leader
    exceptional_promise = "exceptional_promise"  # a potential leader
    none = "none"  # not endorsed (not applied for, pending or refused)


class Profile(Fact):
    """What an applicant knows about themselves. Absent fields are unknown."""

    birth_date: IsoDate | None = None
    age: int | None = Field(
        default=None,
        ge=0,
        le=130,
        description="Age in whole years on the assessment date, if no birth date is given "
        "(if both are, they must agree on that date).",
    )
    citizenships: list[Country] | None = Field(
        default=None,
        description="Every nationality held (at least one). Absent means unknown.",
        json_schema_extra={"minItems": 1},
    )
    residence: Country | None = Field(default=None, description="Country of residence.")
    location: Country | None = Field(default=None, description="Where the person is when applying.")
    us_status: UsStatus | None = Field(
        default=None, description="Current US immigration status, if in the United States."
    )
    us_degree_equivalence: UsDegreeEquivalence | None = Field(
        default=None,
        description="An evaluation finding your education (and training or experience) "
        "equivalent to a US degree.",
    )
    education: list[Education] | None = None
    work: list[Work] | None = None
    has_job_offer: bool | None = Field(
        default=None,
        description="Whether you have a job offer; false says 'none', which an absent "
        "job_offer cannot. Giving a job_offer implies true.",
    )
    job_offer: JobOffer | None = None
    languages: list[LanguageResult] | None = None
    funds: Money | None = None
    family: list[FamilyMember] | None = None
    stays: list[Stay] | None = None
    visas: list[VisaHeld] | None = None
    registrations: list[Registration] | None = Field(
        default=None, description="Occupational registrations held or applied for."
    )
    # United Kingdom (uk-hpi, uk-global-talent)
    uk_prior_graduate_des_hpi: bool | None = Field(
        default=None,
        description="Has held UK permission as a Graduate, as a Doctorate Extension Scheme "
        "participant or as a High Potential Individual (the HPI route is open once).",
    )
    uk_talent_field: UkTalentField | None = Field(
        default=None,
        description="Field for a UK Global Talent application: academia or research, arts "
        "and culture, or digital technology.",
    )
    uk_endorsement: UkEndorsement | None = Field(
        default=None,
        description="A UK Global Talent endorsement held from an endorsing body: as a leader "
        "(exceptional talent) or potential leader (exceptional promise); 'none' if not (yet).",
    )
    uk_talent_prize: bool | None = Field(
        default=None,
        description="Has won a prize on the UK Global Talent list of eligible awards.",
    )

    @model_validator(mode="before")
    @classmethod
    def _offer_implies_has_offer(cls, data: Any) -> Any:
        return _implies(data, "job_offer", "has_job_offer")

    @field_validator("citizenships")
    @classmethod
    def _at_least_one_nationality(cls, value: list[str] | None) -> list[str] | None:
        """Every programme checks nationality, and ``[]`` would pass "not a citizen of X"
        for everyone; statelessness is a status of its own that no programme here encodes."""
        if value is not None and not value:
            raise said_error("no_nationality")
        return value
