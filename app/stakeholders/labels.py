"""How organisations read to people: the labels of their kinds and of their fields."""

from flask_babel import lazy_gettext as _l

from app.stakeholders.models import ORGANISATION_KINDS

KIND_LABELS = {
    "un_mission": _l("UN mission"),
    "eu_mission": _l("EU mission"),
    "ministry": _l("Ministry"),
    "security_force": _l("Security force"),
    "research_civil_society": _l("Research or civil society"),
    "contributing_countries": _l("Contributing countries"),
    "un_agency": _l("UN agency"),
    "other": _l("Other"),
}
assert set(KIND_LABELS) == set(ORGANISATION_KINDS)

FIELD_LABELS = {
    "name": _l("Name"),
    "acronym": _l("Acronym"),
    "kind": _l("Kind"),
    "parent_id": _l("Parent organisation"),
    "description": _l("Description"),
}

# The profile facts the seed records, by key (a key without a label reads as its words).
FACT_LABELS = {
    "minusma_established_by": _l("MINUSMA established by"),
    "minusma_mandate_amended_by": _l("MINUSMA's mandate amended by"),
    "established": _l("Established"),
    "established_by": _l("Established by"),
    "deployed": _l("Deployed"),
    "headquarters": _l("Headquarters"),
    "authorised_uniformed": _l("Authorised uniformed personnel"),
    "authorised_military": _l("Authorised military personnel"),
    "authorised_police": _l("Authorised police personnel"),
    "deployed_military_2015_02_28": _l("Military personnel deployed (28 February 2015)"),
    "deployed_police_2015_02_28": _l("Police personnel deployed (28 February 2015)"),
    "deployed_civilian_2015_02_28": _l("Civilian personnel deployed (28 February 2015)"),
    "fatalities_as_of_2015_02": _l("Fatalities (as of February 2015)"),
    "wounded_as_of_2015_02": _l("Wounded (as of February 2015)"),
    "based_in_northern_regions": _l("Based in the northern regions"),
    "under_secretary_general_for_peacekeeping_operations": _l(
        "Under-Secretary-General for Peacekeeping Operations"
    ),
    "minister_of_foreign_affairs": _l("Minister of Foreign Affairs"),
    "headcount": _l("Headcount"),
    "women": _l("Women"),
    "directed_in_specific_cases_by": _l("Directed in specific cases by"),
    "hierarchical_authority": _l("Hierarchical authority"),
    "authorities": _l("Authorities"),
    "administrative_authority": _l("Administrative authority"),
    "deployment_authority": _l("Deployment authority"),
    "legal_form": _l("Legal form"),
    "founded_in_response_to": _l("Founded in response to"),
    "sahel_strategy": _l("Sahel strategy"),
    "edf10_allocation_mali_mauritania_niger": _l("10th EDF allocation (Mali, Mauritania, Niger)"),
    "brussels_donors_conference_2013_05_15": _l("Brussels donors' conference (15 May 2013)"),
    "brussels_donors_conference_2013_05_15_commitment": _l(
        "Commitment at the Brussels conference (15 May 2013)"
    ),
    "mandate_extended": _l("Mandate extended"),
    "next_mandate": _l("Next mandate"),
    "participating_countries": _l("Participating countries"),
    "mission_commander": _l("Mission commander"),
    "training_location": _l("Training location"),
    "instructors": _l("Instructors"),
    "personnel_total": _l("Personnel in all"),
    "joint_costs": _l("Joint costs"),
    "legal_basis": _l("Legal basis"),
    "framework": _l("Framework"),
    "mission_type": _l("Mission type"),
    "objectives": _l("Objectives"),
    "launched": _l("Launched"),
    "budget": _l("Budget"),
    "liaison_officers_posted_in": _l("Liaison officers posted in"),
    "operations": _l("Operations"),
    "replaced_by_minusma": _l("Replaced by MINUSMA"),
    "formally_under": _l("Formally under"),
    "sahel_project_funded_by": _l("Sahel project funded by"),
}


def fact_label(key: str) -> str:
    """A profile fact's name as people read it, in their language."""
    label = FACT_LABELS.get(key)
    return str(label) if label else key.replace("_", " ").capitalize()
