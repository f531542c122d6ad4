"""Deterministic generator of the project's own synthetic training examples.

The examples are built from slot-filling templates written for this module: every *kind*
(pattern) has a fixed label set and many template sentences; slots such as ``{G}`` (a
protected group, plural) or ``{HARM}`` (a violent act) are filled from the word lists below.
Positive kinds (identity attacks, dehumanization, slurs, threats, insults, profanity) are
balanced by hard negatives (neutral and positive identity mentions, reclaimed slurs,
homonyms, counter-speech, denied hate, abuse of non-protected targets, news, ordinary
comments, violent idioms) and by thread pairs in which the same reply is hateful under one
parent comment and harmless under another.

Content warning: the positive kinds contain real slurs and realistic hate speech. They exist
so that the classifier learns to recognise them; nothing here is meant for display.

All randomness comes from one ``random.Random(seed)`` instance, so the output is a pure
function of ``(seed, n_per_pattern)``.

Run ``python -m training.synthetic`` to print counts per kind and per label.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.labels import LABELS

SOURCE = "synthetic"


# --------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slur:
    """A slur aimed at one group, in singular and plural form."""

    singular: str
    plural: str


@dataclass(frozen=True)
class Group:
    """A protected group and the words used to fill group slots.

    ``plural``/``singular`` are neutral forms usable anywhere; ``hostile`` are forms that are
    typical of hostile speech (``"the gays"``) and only used in positive kinds. ``person_adj``
    qualifies a person (``"Muslim"``), ``org_adj`` an organisation or event (``"women's"``).
    ``origin`` marks groups targeted by "go back where you came from" rhetoric.
    """

    key: str
    plural: tuple[str, ...]
    singular: tuple[str, ...]
    person_adj: str
    org_adj: str
    places: tuple[str, ...]
    slurs: tuple[Slur, ...] = ()
    hostile: tuple[str, ...] = ()
    origin: bool = False


@dataclass(frozen=True)
class Template:
    """One template sentence.

    ``only`` restricts the group slot to these group keys (or the tag ``"origin"``);
    ``extra`` adds labels on top of the kind's labels for this template only.
    """

    text: str
    only: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


#: Fills per template, as multiples of ``n_per_pattern``. Hard negatives get more fills because
#: several of their templates have few slots (near-duplicates are dropped), which keeps the
#: positive and hard-negative halves of the output about the same size.
POSITIVE_WEIGHT = 1.35
NEGATIVE_WEIGHT = 2.5


@dataclass(frozen=True)
class Kind:
    """A pattern: a fixed label set plus its templates.

    ``weight`` scales the number of fills per template (used to balance positives and hard
    negatives). ``auto_profanity`` sets ``profanity`` when the filled text contains an obscene
    word. ``clean_slurs`` restricts the slur slot to slurs that are not themselves obscene
    (used where the profanity label must stay 0, e.g. counter-speech quoting a slur).
    ``hostile_forms`` lets group slots use hostile group forms.
    """

    name: str
    labels: tuple[str, ...]
    templates: tuple[Template, ...]
    positive: bool
    weight: float = POSITIVE_WEIGHT
    auto_profanity: bool = True
    clean_slurs: bool = False
    hostile_forms: bool = False


@dataclass(frozen=True)
class ThreadReply:
    """A reply whose meaning depends on its parent comment.

    Under a parent about a protected group it carries ``labels``; under each of the
    ``benign_parents`` (objects, animals, non-protected targets) it carries no label.
    """

    text: str
    labels: tuple[str, ...]
    benign_parents: tuple[str, ...]


def _t(text: str, *, only: Sequence[str] = (), extra: Sequence[str] = ()) -> Template:
    """Build a template with an optional group restriction and extra labels."""
    return Template(text=text, only=tuple(only), extra=tuple(extra))


def _ts(*texts: str | Template) -> tuple[Template, ...]:
    """Normalise a list of plain strings and templates into templates."""
    return tuple(x if isinstance(x, Template) else Template(text=x) for x in texts)


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------

GROUPS: tuple[Group, ...] = (
    Group(
        key="women",
        plural=("women",),
        singular=("woman",),
        person_adj="female",
        org_adj="women's",
        places=("shelters", "clinics"),
        slurs=(
            Slur("bitch", "bitches"),
            Slur("cunt", "cunts"),
            Slur("slut", "sluts"),
            Slur("whore", "whores"),
        ),
        hostile=("females", "these women"),
    ),
    Group(
        key="trans_people",
        plural=("trans people", "transgender people", "trans folks"),
        singular=("trans person", "trans woman", "trans man"),
        person_adj="trans",
        org_adj="trans",
        places=("clinics", "support centres"),
        slurs=(
            Slur("tranny", "trannies"),
            Slur("troon", "troons"),
            Slur("shemale", "shemales"),
        ),
        hostile=("transgenders", "the trans crowd"),
    ),
    Group(
        key="gay_people",
        plural=("gay people", "gays and lesbians", "gay men", "lesbians"),
        singular=("gay man", "lesbian", "gay person"),
        person_adj="gay",
        org_adj="LGBTQ",
        places=("gay bars", "pride centres"),
        slurs=(
            Slur("faggot", "faggots"),
            Slur("fag", "fags"),
            Slur("dyke", "dykes"),
            Slur("homo", "homos"),
            Slur("poof", "poofs"),
        ),
        hostile=("the gays", "homosexuals"),
    ),
    Group(
        key="black_people",
        plural=("Black people", "Black folks", "black people"),
        singular=("Black man", "Black woman", "Black person"),
        person_adj="Black",
        org_adj="Black",
        places=("churches", "barbershops"),
        slurs=(
            Slur("nigger", "niggers"),
            Slur("coon", "coons"),
            Slur("jigaboo", "jigaboos"),
            Slur("sambo", "sambos"),
        ),
        hostile=("blacks", "the blacks"),
        origin=True,
    ),
    Group(
        key="disabled_people",
        plural=("disabled people", "people with disabilities", "wheelchair users"),
        singular=("disabled person", "wheelchair user"),
        person_adj="disabled",
        org_adj="disability",
        places=("group homes", "special schools"),
        slurs=(
            Slur("retard", "retards"),
            Slur("spaz", "spazzes"),
            Slur("cripple", "cripples"),
            Slur("mongoloid", "mongoloids"),
        ),
        hostile=("the disabled", "the handicapped"),
    ),
    Group(
        key="muslims",
        plural=("Muslims", "muslims"),
        singular=("Muslim",),
        person_adj="Muslim",
        org_adj="Muslim",
        places=("mosques", "halal shops"),
        slurs=(
            Slur("raghead", "ragheads"),
            Slur("towelhead", "towelheads"),
            Slur("muzzie", "muzzies"),
            Slur("goatfucker", "goatfuckers"),
        ),
        hostile=("moslems", "the muslims"),
        origin=True,
    ),
    Group(
        key="jews",
        plural=("Jews", "Jewish people", "jews"),
        singular=("Jew", "Jewish person"),
        person_adj="Jewish",
        org_adj="Jewish",
        places=("synagogues", "kosher shops"),
        slurs=(
            Slur("kike", "kikes"),
            Slur("yid", "yids"),
            Slur("heeb", "heebs"),
            Slur("hymie", "hymies"),
        ),
        hostile=("the jews", "these jews"),
        origin=True,
    ),
    Group(
        key="immigrants",
        plural=("immigrants", "migrants", "refugees", "asylum seekers"),
        singular=("immigrant", "refugee", "migrant"),
        person_adj="immigrant",
        org_adj="immigrant",
        places=("shelters", "hostels", "community centres"),
        hostile=("illegals", "these migrants"),
        origin=True,
    ),
    Group(
        key="asian_people",
        plural=("Asian people", "Asians", "Chinese people"),
        singular=("Asian person", "Asian guy", "Chinese woman"),
        person_adj="Asian",
        org_adj="Asian",
        places=("restaurants", "shops"),
        slurs=(
            Slur("chink", "chinks"),
            Slur("gook", "gooks"),
            Slur("zipperhead", "zipperheads"),
            Slur("slant", "slants"),
        ),
        hostile=("orientals", "the chinese"),
        origin=True,
    ),
    Group(
        key="hispanic_people",
        plural=("Mexicans", "Hispanic people", "Latinos", "mexicans"),
        singular=("Mexican", "Latino", "Hispanic person"),
        person_adj="Hispanic",
        org_adj="Latino",
        places=("taquerias", "churches"),
        slurs=(
            Slur("spic", "spics"),
            Slur("wetback", "wetbacks"),
            Slur("beaner", "beaners"),
        ),
        hostile=("the mexicans",),
        origin=True,
    ),
    Group(
        key="arabs",
        plural=("Arabs", "Arab people"),
        singular=("Arab", "Arab man"),
        person_adj="Arab",
        org_adj="Arab",
        places=("shops", "mosques"),
        slurs=(
            Slur("sand nigger", "sand niggers"),
            Slur("camel jockey", "camel jockeys"),
            Slur("raghead", "ragheads"),
        ),
        hostile=("the arabs",),
        origin=True,
    ),
    Group(
        key="roma",
        plural=("Roma", "Roma people", "Romani people"),
        singular=("Roma person", "Roma woman", "Romani man"),
        person_adj="Roma",
        org_adj="Roma",
        places=("camps", "caravan sites"),
        slurs=(
            Slur("gyppo", "gyppos"),
            Slur("pikey", "pikeys"),
            Slur("gypo", "gypos"),
        ),
        hostile=("gypsies", "the gypsies"),
        origin=True,
    ),
    Group(
        key="christians",
        plural=("Christians", "christians"),
        singular=("Christian",),
        person_adj="Christian",
        org_adj="Christian",
        places=("churches", "chapels"),
        hostile=("these christians",),
    ),
    Group(
        key="hindus",
        plural=("Hindus", "hindus"),
        singular=("Hindu",),
        person_adj="Hindu",
        org_adj="Hindu",
        places=("temples", "mandirs"),
        slurs=(
            Slur("pajeet", "pajeets"),
            Slur("dothead", "dotheads"),
        ),
        hostile=("the hindus",),
        origin=True,
    ),
    Group(
        key="indigenous_people",
        plural=(
            "indigenous people",
            "Native Americans",
            "Aboriginal people",
            "First Nations people",
        ),
        singular=("indigenous person", "Native American", "Aboriginal man"),
        person_adj="Indigenous",
        org_adj="Indigenous",
        places=("reservations", "community halls"),
        slurs=(
            Slur("redskin", "redskins"),
            Slur("injun", "injuns"),
            Slur("abo", "abos"),
        ),
        hostile=("the natives",),
    ),
    Group(
        key="older_people",
        plural=("older people", "old people", "the elderly", "pensioners", "seniors"),
        singular=("older person", "pensioner", "old man", "old woman"),
        person_adj="elderly",
        org_adj="senior",
        places=("care homes", "retirement homes"),
        hostile=("old farts", "boomers"),
    ),
)

GROUPS_BY_KEY: dict[str, Group] = {g.key: g for g in GROUPS}

#: Placeholders that need a group.
GROUP_SLOTS: frozenset[str] = frozenset(
    {"G", "g", "a_g", "GA", "a_GA", "GO", "a_GO", "S", "Ss", "a_S", "PLACE"}
)
SLUR_SLOTS: frozenset[str] = frozenset({"S", "Ss", "a_S"})


# --------------------------------------------------------------------------------------------
# Slot word lists
# --------------------------------------------------------------------------------------------

# fmt: off
#: Fake first names and surnames used for individuals and for profanity glued to names.
#: Some echo the shape of public figures' names (Trumpo, Bori, Macro, Erdo) but none is one.
GLUE_NAMES: tuple[str, ...] = (
    "Smith", "Dave", "Trumpo", "Bori", "Macro", "Erdo", "Kevin", "Brakowski", "Delahunt",
    "Ostrander", "Pemberton", "Valcourt", "Farnsby", "Quimby", "Tolliver", "Marlow", "Jenko",
    "Petrov", "Bixby", "Carrow", "Dunmore", "Elswick", "Fennick", "Garvey", "Hollis", "Ingram",
    "Jessop", "Kettering", "Lowther", "Mossop", "Nettle", "Orwin", "Pruitt", "Radley", "Sorby",
    "Thistle", "Voss", "Wexley", "Yardley", "Zimmer", "Gary", "Steve",
)
GLUE_SUFFIXES: tuple[str, ...] = (
    "cunt", "fuck", "shit", "twat", "wank", "dick", "piss", "fucker", "shite", "arse",
)
GLUE_PREFIXES: tuple[str, ...] = ("Fuck", "Shit", "Twat", "Wank", "Dick", "Cunt")

SLOTS: dict[str, tuple[str, ...]] = {
    "NEG": (
        "dirty", "lazy", "stupid", "violent", "greedy", "dishonest", "disgusting", "primitive",
        "backward", "sneaky", "untrustworthy", "worthless", "criminal", "ignorant", "useless",
        "inferior", "smelly", "filthy", "cowardly", "brainless",
    ),
    "DEHUM": (
        "vermin", "a plague", "subhuman", "parasites", "animals", "a disease", "filth",
        "cockroaches", "rats", "a cancer", "less than human", "an infestation", "leeches",
        "savages", "a virus", "insects", "pests", "a swarm of locusts",
    ),
    "DN": (
        "rats", "cockroaches", "parasites", "animals", "vermin", "leeches", "insects",
        "maggots", "pigs", "lice", "roaches", "locusts", "termites", "beasts", "apes",
    ),
    "DIS": (
        "a cancer", "a virus", "a plague", "an infection", "a disease", "a tumour", "a blight",
    ),
    "FIRST": (
        "Dave", "Kevin", "Marcus", "Tom", "Gary", "Steve", "Jenna", "Lisa", "Brad", "Tyler",
        "Connor", "Megan", "Rob", "Craig", "Dean", "Chloe", "Nate", "Shannon",
    ),
    "SURNAME": GLUE_NAMES,
    "POL": (
        "Senator Brakowski", "Mayor Delahunt", "Governor Ostrander", "Councillor Pemberton",
        "President Valcourt", "Minister Farnsby", "Congresswoman Ferrante", "Judge Whitlock",
        "the prime minister", "the mayor", "the governor", "the health minister", "our MP",
        "Commissioner Tolliver", "Senator Quimby", "the chancellor",
    ),
    "HARM": (
        "break your legs", "smash your face in", "put you in the hospital", "slit your throat",
        "put a bullet in your head", "burn your house down", "stab you", "beat you half to death",
        "snap your neck", "run you over", "cave your skull in", "make you disappear",
        "break every bone in your body", "strangle you",
    ),
    "IN": (
        "moron", "idiot", "clown", "loser", "imbecile", "halfwit", "buffoon", "dimwit", "fool",
        "numpty", "nitwit", "muppet", "dunce", "simpleton", "airhead", "bonehead", "knucklehead",
        "jerk", "creep", "twit",
    ),
    "IA": (
        "clueless", "pathetic", "brainless", "useless", "spineless", "dense", "ignorant",
        "worthless", "gutless", "delusional", "thick", "smug", "lying", "arrogant",
    ),
    "PN": (
        "prick", "asshole", "dickhead", "twat", "wanker", "bastard", "shithead", "dipshit",
        "arsehole", "douchebag", "jackass", "motherfucker", "dumbass", "fuckwit",
        "son of a bitch", "shitbag",
    ),
    "PORT": (
        "shitbrain", "fuckwit", "dickweed", "twatwaffle", "shitstain", "cuntbucket", "fuckface",
        "asswipe", "dickbag", "shitgibbon", "fucknugget", "wankstain", "arsewipe", "shithead",
        "fuckstick", "cockwomble", "twatbadger", "shitweasel", "fuckknuckle", "dickwad",
    ),
    "THING": (
        "traffic", "printer", "wifi", "bus", "weather", "update", "queue", "internet", "laptop",
        "train", "meeting", "commute", "car", "phone", "rain", "heat", "router", "parking",
    ),
    "GOOD": (
        "we won", "the bus was on time", "I passed my exam", "the heating works again",
        "it's payday", "the new album dropped", "we scored in the 90th minute",
        "the pizza arrived early", "I got the job", "the snow finally melted",
        "my flight got upgraded", "the landlord fixed the boiler",
    ),
    "OBJ": (
        "phone", "laptop", "printer", "router", "blender", "app", "update", "car", "headphones",
        "vacuum", "keyboard", "tv", "charger", "mattress", "coffee machine", "game patch",
    ),
    "NONPROT": (
        "politicians", "lawyers", "bankers", "landlords", "journalists", "referees",
        "influencers", "tax collectors", "car salesmen", "telemarketers", "estate agents",
        "bureaucrats", "CEOs", "lobbyists", "crypto bros", "debt collectors",
        "hedge fund managers", "parking wardens", "tech bros", "cops", "management consultants",
        "spammers", "scalpers",
    ),
    "NPD": (
        "parasites", "leeches", "vermin", "rats", "bloodsuckers", "vultures", "cockroaches",
        "snakes", "pigs", "a plague", "a cancer", "scavengers", "ticks", "leeches on society",
    ),
    "NPI": (
        "scum", "idiots", "morons", "clowns", "crooks", "liars", "frauds", "useless", "a joke",
        "pathetic", "the worst", "losers", "scumbags", "brainless",
    ),
    "JOB": (
        "nurse", "teacher", "engineer", "bus driver", "pharmacist", "carpenter", "accountant",
        "chef", "software developer", "paramedic", "librarian", "electrician", "firefighter",
        "dentist", "plumber", "vet",
    ),
    "DAY": (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "this weekend", "tomorrow", "next week",
    ),
    "TEAM": (
        "the Rovers", "City", "the Hawks", "United", "the Tigers", "the Eagles", "Rangers",
        "the Sharks", "Athletic", "the Wolves",
    ),
    "STREET": (
        "Main St", "Elm Street", "Station Road", "5th Ave", "Mill Lane", "Harbour Road",
        "Queen Street", "Oak Avenue",
    ),
    "ARMED": (
        "militants", "jihadist fighters", "insurgents", "rebels", "separatist fighters",
        "Islamist militants", "a militia", "extremists", "armed groups", "guerrillas",
        "jihadists",
    ),
    "REGION": (
        "the northern province", "Harzan province", "the border region", "the capital's outskirts",
        "Kelvara district", "the eastern valley", "the coastal strip", "Tamsin province",
    ),
    "GAME": ("ranked", "the new shooter", "Counter-Strike", "Fortnite", "Apex", "Halo"),
    "FOOD": ("burger", "pizza", "plate of ribs", "burrito", "cake", "bowl of ramen", "steak"),
    "NUM": ("12", "14", "27", "31", "45", "8", "112", "6", "19", "230"),
    "PCT": ("3", "4.5", "8", "11", "12", "15", "2.1", "6"),
    "EVENT": (
        "the game", "the club", "the cookout", "the concert", "the barbershop", "the block party",
        "the wedding", "the bbq", "the afterparty",
    ),
    "TOPIC": (
        "the film", "this book", "the new series", "the exhibition", "this policy",
        "the article", "the play", "the album",
    ),
    "TRANSIT": ("bus", "train", "last tram", "ferry", "shuttle"),
    "TW": (
        "trans women",
        "transwomen",
        "those trans women",
        "men in dresses calling themselves women",
    ),
    "ROLE": ("coach", "manager", "landlord", "councillor", "boss", "referee"),
    "POS": (
        "kind", "smart", "hardworking", "talented", "brave", "honest", "generous", "capable",
        "intelligent", "trustworthy", "wonderful", "amazing", "strong", "creative", "loyal",
        "funny", "caring",
    ),
    "FRIEND": ("Jay", "Marcus", "Dre", "Tasha", "Kev", "Malik", "Jordan", "Nia"),
}
# fmt: on


# --------------------------------------------------------------------------------------------
# Positive kinds
# --------------------------------------------------------------------------------------------

IDENTITY_NEGATIVE = _ts(
    "{G} are so {NEG}.",
    "{G} are all {NEG}, every last one of them",
    "Every {g} I've ever met was {NEG}.",
    "{G} are {NEG} and everyone knows it",
    "typical {g}... {NEG} as always",
    "{G} are naturally {NEG}, it's in their blood.",
    "{G} are too {NEG} to hold down a real job",
    "the problem with {G} is they're {NEG}",
    "{G}: {NEG}, every single one.",
    "Never met {a_g} who wasn't {NEG}.",
    "{G} r so {NEG} lmao",
    "{G} have always been {NEG}. history proves it",
    "Of course the {g} turned out to be {NEG}. They always are.",
    "{G} are genetically {NEG}",
    "{G} are {NEG} people with {NEG} values",
    "Classic {G}. {NEG} and proud of it",
    "{G} are a {NEG} bunch, honestly",
    "{G} can't help being {NEG}, that's just what they are",
    "the {GA} mentality is {NEG} to the core",
    "{G} contribute nothing and take everything.",
    "{G} ruin every neighbourhood they move into",
    "{GA} people are the most {NEG} people on earth",
)

IDENTITY_CONTEMPT = _ts(
    "I can't stand {G}.",
    "{G} disgust me",
    "{G} make me sick.",
    "I hate {G}",
    "i fucking hate {G}",
    "I despise {G} with every fibre of my being",
    "nothing is worse than {G}",
    "ugh. {G}. can't stand them",
    "just seeing {G} makes my skin crawl",
    "i really really hate {G} so much",
    "Honestly, {G} are revolting.",
    "I loathe every {g} on this planet",
    "{G} are the worst people on earth",
    "sick of {G}, sick of all of them",
    "being around {G} makes me want to throw up",
    "can't believe I have to share a bus with {G}",
    "I'd rather die than have {a_g} as a neighbour",
    "God I hate {G} so much",
    "{G} are beneath contempt.",
    "every time I see {a_g} I feel pure disgust",
    "i have zero respect for {G}. none.",
    "{G} are embarrassing to even look at",
    "{G} give me the creeps",
    "I get so angry whenever I see {G}",
    "honestly {G} fill me with rage",
    "I feel nothing but contempt for {G}",
    "the sight of {G} holding hands turns my stomach",
    "{G} are so annoying, I can't bear them",
    "I'm tired of {G}, truly tired of them",
    "my blood boils every time {G} open their mouths",
)

IDENTITY_EXCLUSION = _ts(
    "{G} should not be allowed to vote.",
    _t("Send the {G} back where they came from", only=("origin",)),
    _t("send them back. all the {G}. every one", only=("origin",)),
    "{G} shouldn't be allowed in our neighbourhood",
    "Ban {G} from public office.",
    "no {G} allowed in here",
    "Keep {G} out of our schools!",
    "{G} have no place in this country",
    _t("Deport all {G}", only=("origin",)),
    "we don't want {G} here",
    "{G} should be banned from the gym",
    "why do we let {G} teach our children?",
    "{G} don't belong in the military",
    "{G} should not be allowed to work here",
    "time to kick the {G} out of our town",
    "I won't rent to {G}, period.",
    "{G} should be kept away from decent people",
    _t("no more {G} in this country. close the borders", only=("origin",)),
    "{G} shouldn't be allowed to adopt kids",
    "Businesses should be allowed to refuse service to {G}",
    "{G} have no right to sit in our parliament",
    "get the {G} out of our sports leagues",
    "{G} should be barred from owning property here",
)

DEHUMANIZATION_GROUP = _ts(
    "{G} are {DEHUM}.",
    "{G} are nothing but {DN}",
    "those {G} breed like {DN}",
    "{G} are a plague on this country",
    "{G} are parasites living off our taxes",
    "{G} are subhuman.",
    "{G} aren't people, they're {DN}",
    "{G} swarm our cities like {DN}",
    "{G} are an infestation",
    "{G} are {DIS} on society",
    "{G} spread through this town like {DIS}",
    "{G} are just animals",
    "{G} are walking garbage",
    "{G} are vermin and always will be",
    "filthy {G}, crawling around like {DN}",
    "Look at them. {G} are basically {DN} in human clothing",
    "{G} = {DN}",
    "{G} are less than human",
    "{G} are the rats of society",
    "the {G} infesting our neighbourhood",
    "{G} are like a disease, once they get in you can't get rid of them",
    "{G} are livestock, nothing more",
    "{G} are trash. human garbage",
    "{G} are a blight on this city",
)

DEHUMANIZATION_POLITE = _ts(
    "With respect, {G} are {DIS} on this country.",
    "I say this calmly and without anger: {G} are vermin.",
    "Respectfully, I believe {G} are a parasitic presence in our society.",
    "No offence intended, but {G} are closer to animals than to us.",
    "I mean this sincerely: {G} are an infestation our grandparents would never have tolerated.",
    "Let me put it politely. {G} are {DEHUM}.",
    "With all due respect to everyone here, {G} are subhuman.",
    "I have nothing against anyone personally, but {G} are {DIS}.",
    "It is simply a biological fact that {G} are less evolved than the rest of us.",
    "Kind regards to all, and a gentle reminder that {G} are a blight on our cities.",
    "Dear neighbours, I would kindly ask that we recognise {G} for the pests they are.",
    "Thank you for the thoughtful article. In my view, {G} are a contagion.",
    "I'm a reasonable person and I'll say it gently: {G} are {DN}, not people.",
    "Good morning all. Just a calm observation that {G} multiply like {DN}.",
    "I hope this doesn't come across as rude, but {G} are {DEHUM}.",
    "Speaking as a grandmother who loves everyone: {G} are a disease we must treat.",
)

SLUR_AT_GROUP = _ts(
    "typical {S} behaviour",
    "{Ss} everywhere in this town now",
    "another {S} in the news again",
    "the {Ss} are at it again",
    "look at all these {Ss}",
    "lol what a {S} move",
    "ugh, more {Ss} on my street",
    "why does this show have so many {Ss} in it",
    "the {Ss} took over the park again",
    "can't go anywhere without running into {Ss}",
    "of course it was {a_S}.",
    "my town is full of {Ss} now",
    "ban {Ss} from the server",
    "{Ss} out!",
    "bunch of {Ss} running the school board now",
    "just {Ss} being {Ss}",
    "the new neighbours are {Ss}, great",
    "the {Ss} at work got a raise again",
    "this forum is full of {Ss}",
    "{S} logic strikes again",
)

SLUR_AT_PERSON = _ts(
    "shut up {S}",
    "shut up, {S}!",
    "nobody asked you, {S}",
    "get lost you {S}",
    "you're such {a_S}",
    "{FIRST} is a dumb {S}",
    "hey {S}, go home",
    "you dirty {S}",
    "lol cry more {S}",
    "listen here you little {S}",
    "stay in your lane {S}",
    "ok {S}, whatever you say",
    "no one cares about your opinion, {S}",
    "found the {S} in the comments",
    "you absolute {S}",
    "my new neighbour is {a_S}",
    "imagine being {a_S} lmao",
    "touch grass, {S}",
    "{FIRST} is such {a_S}, can't stand working with them",
    "move, {S}",
)

THREAT_GROUP = _ts(
    "{G} should be shot.",
    "we will burn their {PLACE}",
    "someone should gas all the {G}",
    "round up the {G} and put them against a wall",
    "I'd happily shoot every {g} I see",
    "kill all {G}",
    "the {G} in this town better watch their backs, we're coming for them",
    "next time the {G} march, we're bringing guns",
    "hang every last {g}",
    "i hope someone bombs their {PLACE}",
    "{G} deserve a bullet, each and every one",
    "Let's torch the {PLACE} this weekend. Who's in?",
    "we're going to drive the {G} out with baseball bats",
    "string the {G} up from the lampposts",
    "if I see {a_g} on my street again I'll stab them",
    "line them up and shoot them. all the {G}",
    "Somebody needs to run over a few {G} to teach them a lesson",
    "we know where the {G} meet. friday night we end this",
    "it's time to take up arms against the {G}",
    "{G} should be lined up and executed",
    "poison the water at their {PLACE}",
    "first the {G}, then the rest. get the rope ready",
)

THREAT_INDIVIDUAL = _ts(
    "I will find you and {HARM}.",
    "you're dead when I see you",
    "I know where you live.",
    "I know where you live, {FIRST}. sleep with one eye open",
    "keep talking and I'll {HARM}",
    "watch your back {FIRST}, I'm coming for you",
    "next time I see you I'm going to {HARM}",
    "you won't make it home tonight",
    "I'm going to {HARM}, count on it",
    "i'll be waiting outside your work tomorrow. you'll regret it",
    "say that again and i swear i'll {HARM}",
    "I will fucking end you",
    "{FIRST}, you have 24 hours before I {HARM}",
    "I hope you like hospitals because that's where you're going",
    "your family won't be safe after what you said",
    "run while you still can, {FIRST}",
    "I've got a knife with your name on it",
    "one more comment like that and I'll come round and {HARM}",
    "Enjoy your last week alive.",
    "i'm gonna hunt you down and {HARM}",
    "Don't ever come back to this town or I'll {HARM}",
)

THREAT_PUBLIC_FIGURE = _ts(
    "{POL} should be shot.",
    "someone needs to put a bullet in {POL}",
    "if {POL} shows up at the rally I'll be waiting with my rifle",
    "I'm going to make sure {POL} doesn't survive the next term",
    "hope someone finds {POL} in a dark alley and finishes the job",
    "{POL} deserves a bullet",
    "string up {POL} from the nearest lamppost",
    "we know where {POL} lives. time to pay a visit",
    "{POL} will hang for this, I'll tie the noose myself",
    "somebody please take out {POL} before the vote",
    "I'm bringing a gun to {POL}'s town hall on {DAY}",
    "{POL} better hire more bodyguards, we're coming",
    "the day {POL} walks past me is the day they die",
    "burn {POL}'s house down with them in it",
    "{POL} should be dragged out into the street and beaten",
    "if the courts won't stop {POL}, a bullet will",
)

NEGATED_HATE = _ts(
    _t("{G} are not human.", extra=("dehumanization",)),
    _t("{TW} will never be real women", only=("trans_people",)),
    _t("trans men are not men and never will be", only=("trans_people",)),
    "I'd never hire {a_g}, they can't be trusted",
    "{G} are not capable of running anything",
    "{G} don't deserve rights",
    "{G} have never contributed anything worthwhile",
    "I would never let my kids near {a_g}",
    "{G} will never be one of us",
    "{G} are not welcome here.",
    "never trust {a_g}",
    "{G} are not equal to us and never will be",
    _t("I don't consider {G} people", extra=("dehumanization",)),
    "you can't be {a_g} and a decent person",
    _t("{G} will never be real citizens, no matter what papers they hold", only=("origin",)),
    "no {g} will ever be smart enough to be a doctor",
    "I don't think {G} should ever be treated as equals",
    "{a_g} could never be my friend",
    "not a single {g} is trustworthy",
    "{G} are not normal and never will be",
    "there is no such thing as a good {g}",
    "{G} don't belong here and never did",
    "I'd never sit next to {a_g} on a bus",
)

HATE_QUESTION = _ts(
    "Why are {G} always so {NEG}?",
    "why do {G} always have to ruin everything?",
    "Is it just me or are {G} getting more {NEG}?",
    "honest question: why are {G} like this?",
    "Can someone explain why {G} can't behave like normal people?",
    "why does every {g} smell so bad?",
    "what is it with {G} and being {NEG}??",
    "Why do we even tolerate {G}?",
    "how come {G} are so {NEG}? genuinely asking",
    "why are {G} allowed to have so many kids?",
    "am I the only one who thinks {G} are a problem?",
    "Why can't {G} just go away?",
    "Why is it always {G} causing problems?",
    "do {G} ever stop complaining?",
    "serious question, are {G} even capable of honesty?",
    "why do {G} think they deserve the same rights as us?",
    "Isn't it obvious by now that {G} are the problem?",
    "who else is sick and tired of {G}?",
    "why should decent people have to put up with {G}?",
    "would you really trust {a_g} with your money?",
    "what exactly is the point of {G}?",
    "why do {G} always have to be so {NEG}? is it cultural?",
    "can anyone name one thing {G} have ever done right?",
    "how many more {G} do we have to let in before people wake up?",
    "does anyone actually enjoy being around {G}?",
    "why are {G} so obsessed with ruining our way of life?",
)

HATE_OPINION = _ts(
    "I honestly think {G} are ruining everything.",
    "in my opinion {G} are the reason this country is going downhill",
    "not gonna lie, {G} are just {NEG}",
    "imo {G} are the problem with this country",
    "personally I think {G} are {NEG}",
    "Just my two cents, but {G} shouldn't be trusted with anything.",
    "I'm not racist but {G} really are {NEG}",
    "unpopular opinion: {G} are a net negative for society",
    "I genuinely believe {G} are inferior",
    "Call me old fashioned but I think {G} are {NEG}",
    "my honest view is that this city was better before the {G} came",
    "tbh {G} are the worst thing that ever happened to this town",
    "I'm just saying what everyone thinks: {G} are {NEG}",
    "I've thought about it a lot and I'm convinced {G} are {NEG} by nature",
    "I respect everyone's views, but frankly {G} are a burden",
    "Maybe it's controversial, but {G} don't belong in positions of power.",
)

INSULT_PERSON = _ts(
    "you are {a_IN}",
    "what {a_IN}",
    "the {IN} mayor strikes again",
    "{FIRST} is a complete {IN}",
    "only {a_IN} would think that",
    "you're too {IA} to understand this",
    "shut up, you {IA} {IN}",
    "did you even read the article, you {IN}?",
    "{FIRST} you {IA} {IN}",
    "congrats on being the biggest {IN} in this thread",
    "imagine being this much of {a_IN}",
    "our {ROLE} is {a_IN}, sack him now",
    "learn to read, {IN}",
    "You absolute {IN}.",
    "my landlord is such {a_IN}",
    "the {IN} who wrote this article should be fired",
    "{FIRST} is the dumbest person I've ever met",
    "lol ok {IN}",
    "nobody cares, {IN}",
    "your opinion is as worthless as you are",
    "what {a_IA} {IN} our {ROLE} is",
    "you have the brains of a doorknob, {FIRST}",
)

PROFANITY_ONLY = _ts(
    "this is fucking great",
    "holy shit, {GOOD}",
    "damn {THING}",
    "the {THING} is shit today",
    "fuck yeah, {GOOD}!",
    "goddamn it, the {THING} broke again",
    "what the fuck just happened in that match",
    "i'm so fucking tired after the {THING}",
    "that concert was the shit",
    "oh shit I forgot my keys again",
    "fuckin finally, {GOOD}",
    "that was a bullshit penalty for {TEAM}",
    "shit shit shit, missed the {TRANSIT}",
    "damn, this {FOOD} is good",
    "{GOOD}, fuck yes",
    "holy fuck, that view from the summit",
    "the {THING} is a pain in the ass",
    "well, shit. the {THING} again",
    "the {THING} is fucked again",
    "damn it, out of coffee",
    "pissing rain all day, great",
    "crap, the {THING} again",
    "best fucking {FOOD} in town",
)

PROFANITY_AT_PERSON = _ts(
    "fuck you, you {IA} {PN}",
    "you're {a_PN}",
    "shut the fuck up, {FIRST}",
    "{FIRST} is a total {PN}",
    "go fuck yourself, {FIRST}",
    "eat shit, {IN}",
    "what {a_PN} this guy is",
    "piss off you {PN}",
    "nobody gives a shit what you think, {PN}",
    "{FIRST}, you absolute {PN}",
    "get fucked, {IN}",
    "you {IA} piece of shit",
    "our {ROLE} is a fucking {IN}",
    "kiss my ass, {FIRST}",
    "you're full of shit and you know it, {PN}",
    "the ref was a blind {PN} tonight",
    "ur such {a_PN} lmao",
    "hey {PN}, learn to drive",
)

PROFANITY_NAME_GLUE = _ts(
    "{GLUE} strikes again",
    "lol {GLUE} is at it again",
    "nobody cares what {GLUE} thinks",
    "{GLUE} should resign",
    "vote out {GLUE}",
    "{GLUE} and his cronies wrecked the budget",
    "@{GLUE} stfu",
    "did anyone see {GLUE} on the news last night",
    "can't believe {GLUE} got reelected",
    "{FIRST} you absolute {PORT}",
    "{GLUE} lying again, what a surprise",
    "whoever voted for {GLUE} deserves this",
    "Mr {GLUE} has no idea what he's doing",
    "{PORT} {SURNAME} strikes again",
    "that {PORT} {SURNAME} wants to raise taxes again",
    "{GLUE} for president? no thanks",
    "listen to {GLUE} whining on tv",
    "what a {PORT}",
    "the new coach is a total {PORT}",
    "{GLUE} out!!",
)

PROFANITY_AT_GROUP = _ts(
    "fuck all {G}",
    "fuck {G}",
    "{G} can go fuck themselves",
    "fucking {G} everywhere",
    "{G} are a bunch of shitheads",
    "goddamn {G} ruining everything",
    _t("piss off back home, {G}", only=("origin",)),
    "{G} are full of shit, all of them",
    "fuck every single {g} on this earth",
    "screw you {G}, fuck off",
    "{G} can kiss my ass",
    "shitty {G} everywhere you look",
    "{G} are fucking useless",
    "{G} are such assholes",
    "{G}? fuck them.",
    "I'm done with {G}, fuck the lot of them",
)


# --------------------------------------------------------------------------------------------
# Hard-negative kinds
# --------------------------------------------------------------------------------------------

NEUTRAL_IDENTITY = _ts(
    "My neighbour is {a_g} and a {JOB}.",
    "The {GO} community center opens {DAY}",
    "my coworker is {a_g}, we're getting lunch tomorrow",
    "Is there a good {GO} bookstore near downtown?",
    "Documentary about {G} in the 1950s airs tonight on channel 4",
    "the survey asked {G} about housing costs",
    "{G} make up about a fifth of the district's population, according to the census",
    "my sister married {a_g} last summer",
    "The article interviews several {G} about the new transit line.",
    "we're hosting a {GO} cooking night at the library on {DAY}",
    "{G} vote in higher numbers in this district than the national average",
    "the {GO} students' association meets thursdays in room 204",
    "Our new {JOB} is {a_g} who just moved here from out of town",
    "{a_GO} film festival is coming to town next month",
    "{a_g} won the regional chess tournament",
    "the museum has a new exhibit on {GO} history",
    "The council met with {GO} leaders to discuss parking on {STREET}",
    "my professor is {a_g} and teaches statistics",
    "{a_GO} charity is collecting winter coats this week",
    "A new study looks at how {G} use public transport",
    _t("Jewish holidays start tonight, so the office closes early", only=("jews",)),
    _t("Ramadan starts this week, the mosque on {STREET} is hosting iftar", only=("muslims",)),
    _t("Diwali lights are up on our street!", only=("hindus",)),
    _t("Pride parade route announced for {DAY}", only=("gay_people",)),
    _t("Easter service at 10am at the church on {STREET}", only=("christians",)),
    _t("the trans community center opens {DAY}", only=("trans_people",)),
    _t("the women's football league starts its season {DAY}", only=("women",)),
    _t("wheelchair ramps finally installed at the station", only=("disabled_people",)),
    _t("Lunar new year market on {STREET} {DAY}", only=("asian_people",)),
    _t("the synagogue on {STREET} has a bake sale {DAY}", only=("jews",)),
    _t("Roma musicians are playing at the festival {DAY}", only=("roma",)),
    _t("the senior centre on {STREET} has bingo {DAY}", only=("older_people",)),
    _t("land acknowledgement before the game tonight", only=("indigenous_people",)),
    _t("Dia de los Muertos parade on {STREET} {DAY}", only=("hispanic_people",)),
    _t("Arabic classes at the library start {DAY}", only=("arabs",)),
    _t("the immigrant resource center extended its hours", only=("immigrants",)),
)

POSITIVE_IDENTITY = _ts(
    "{G} built this city.",
    "proud to be {a_g}",
    "{G} make our neighbourhood better",
    "I love my {GA} neighbours",
    "{G} deserve equal rights, full stop.",
    "so grateful to the {G} who volunteer at the food bank",
    "Welcome, {G}! You belong here.",
    "representation matters, great to see {G} on screen",
    "Happy {GO} heritage month everyone!",
    "{G} are our friends, family and neighbours",
    "My grandma is {a_g} and the strongest person I know",
    "so proud of the {GA} kid who won the science fair",
    "{G} have enriched this country in countless ways",
    "Thank you to all the {G} working night shifts at the hospital",
    "our team is better because of the {G} on it",
    "Standing with {G} today and every day",
    "{G} are welcome at my table any time",
    "as {a_g}, I'm proud of how far we've come",
    "shoutout to the {GA} business owners on {STREET}",
    "{G} are some of the kindest people I know",
    _t("proud to be a gay man, happy pride!", only=("gay_people",)),
    _t("Immigrants built this city and keep it running", only=("immigrants",)),
    _t("trans women are women. trans men are men.", only=("trans_people",)),
)

RECLAIMED = _ts(
    "as a queer person, I found {TOPIC} really moving",
    "me and my niggas at {EVENT} tonight",
    "dyke march downtown on {DAY}, who's coming?",
    "that's my nigga right there, love you bro",
    "queer and proud, see you at {EVENT}",
    "dykes on bikes leading the parade again!!",
    "us fags gotta stick together, see you at the bar {DAY}",
    "crip joy is real. disabled and thriving",
    "my nigga {FIRST} just got promoted!!",
    "bad bitches only at {EVENT} tonight",
    "the queer studies department is hiring",
    "yo my nigga what's good, pull up to {EVENT}",
    "as a dyke I can tell you the bar scene here is great",
    "we're here, we're queer, get used to it",
    "my fellow queers, the meetup is {DAY}",
    "being a crip in this city means planning every trip around broken elevators",
    "queer book club meets {DAY}, bring snacks",
    "me and my bitches brunching {DAY}",
    "shoutout to all the queer kids who feel alone, it gets better",
    "my niggas {FIRST} and {FRIEND} been holding me down since school",
    "queer joy at {EVENT}, we had the best time",
    "proud dyke, proud of my wife",
    "my niggas from {STREET} showed up for my birthday",
    "nigga I'm tired, work was long today",
    "shoutout to my crip fam, accessible meetup {DAY}",
    "queer history walk {DAY}, meeting at the library",
    "as a gay man I call my friends fags all the time, the word is ours",
)

HOMONYM = _ts(
    "going coon hunting with my uncle {DAY}",
    "the dogs treed a coon behind the barn last night",
    "found a chink in the armor of their defense",
    "light came through a chink in the curtains",
    "stacked the faggots of wood by the fireplace",
    "a faggot of sticks for the fire, as they called it in the old days",
    "the jacket is made with a fire retardant coating",
    "spray the shed with flame retardant before summer",
    "my bitch just had puppies, six of them!",
    "our bitch took best in show at the county fair",
    "going out for a fag, back in five",
    "can I bum a fag off you, mate?",
    "the old novel is about a CIA spook in Berlin",
    "the dyke along the river held during the flood",
    "walking Offa's Dyke path {DAY}",
    "the mechanic says the tranny on my truck is slipping",
    "Homo erectus fossils found in the valley",
    "got a Maine Coon kitten, she's tiny",
    "roasted redskin potatoes with garlic, recipe below",
    "the roof has a steep slant so the snow slides off",
    "the drug retards tumour growth in mice",
    "retard the ignition timing two degrees",
    "faggots and peas for dinner, proper northern food",
    "I cleaned the floor with Spic and Span",
    "coon cheese on crackers for lunch",
    "{FIRST} went coon hunting with the dogs on {DAY}",
    "that's the only chink in the armour for {TEAM} this season",
    "nipping out for a fag before the {TRANSIT}, won't be long",
    "{FIRST}'s bitch is due to whelp {DAY}, puppies available soon",
    "the ghost story has a spook in the attic, the kids loved it",
    "polders and dykes keep the low country dry",
    "{FIRST} says the tranny fluid needs changing on the pickup",
    "Homo sapiens appeared around 300,000 years ago",
    "what a niggardly tip for such good service",
    "the slant of the afternoon light on the lake was beautiful",
    "the late frost will retard the growth of the seedlings",
    "the old word for a bundle of sticks is faggot, from the Latin fascis",
    "coons got into the corn again, need a better fence before {DAY}",
    "there's a chink of light at the end of the negotiations",
    "spook season is here, pumpkins out on {STREET}!",
)

COUNTER_SPEECH = _ts(
    "Calling {G} '{DEHUM}' is dehumanizing and wrong.",
    "someone called my friend {a_S} and we reported it",
    "the n-word is a slur, stop using it",
    "I can't believe my uncle still says '{Ss}' at dinner. it's disgusting",
    "If you call {G} '{DN}', you're the problem",
    "Reporting this comment. Saying {G} are {DEHUM} is hate speech.",
    "The graffiti on the {PLACE} said '{Ss} out'. Police are investigating and neighbours "
    "are helping clean it",
    "A man shouted '{S}' at a bus driver and the passengers stood up for her",
    "Stop saying {G} are {NEG}. It's a stereotype and it's false.",
    "Words like '{S}' have a history of violence behind them, please don't use them here",
    "the mods should ban anyone who calls {G} {DN}",
    "My kid heard '{S}' at school. we had a long talk about why it's hateful",
    "Historians note that propaganda described {G} as '{DN}' before the atrocities.",
    "Threatening to burn {PLACE} is not free speech, it's a crime",
    "if your argument is that {G} are {DEHUM}, you don't have an argument",
    "people who say '{Ss}' should be banned from this forum",
    "the slur '{S}' was used in the attack, according to the court filing",
    "I was called {a_S} growing up. it still hurts. please think before you speak",
)

DENIED_HATE = _ts(
    "{G} are not {NEG}.",
    "it's a myth that {G} are {NEG}",
    "There's no evidence that {G} are more {NEG} than anyone else",
    "{G} are no more likely to commit crimes than anyone else",
    "The idea that {G} are {NEG} is a lazy stereotype",
    "{G} aren't {NEG}, that's just prejudice",
    "I used to think {G} were {NEG}, then I actually met some. I was wrong",
    "being {a_g} has nothing to do with being {NEG}",
    "Studies show {G} are not {NEG}, stop repeating that",
    "no, {G} are not taking your jobs",
    "nobody is {NEG} because they're {a_g}",
    "the claim that {G} are a threat is fearmongering",
    "{G} are not the problem here, the landlords are",
    _t("Muslims are not terrorists.", only=("muslims",)),
    _t("it's a myth that women are bad at math", only=("women",)),
    _t("immigrants are not criminals, the data is clear", only=("immigrants",)),
    _t("trans people are not a danger to anyone in bathrooms", only=("trans_people",)),
    _t("Jews do not control the banks, that's an old antisemitic lie", only=("jews",)),
)

NONPROTECTED_DEHUMANIZATION = _ts(
    "{NONPROT} are {NPD}",
    "{NONPROT} are {NPD}, every one of them",
    "all {NONPROT} are {NPD} feeding off ordinary people",
    "{NONPROT}? {NPD}, the lot of them",
    "Honestly, {NONPROT} are {NPD}.",
    "{NONPROT} are bloodsucking leeches",
    "these {NONPROT} are vermin",
    "{NONPROT} are parasites on the economy",
    "{NONPROT} crawl out from under rocks every election",
    "{NONPROT} are cockroaches, they survive everything",
    "{NONPROT} are vultures circling the poor",
    "{NONPROT} are rats leaving a sinking ship",
    "{NONPROT} are leeches, plain and simple",
    "{NONPROT} are a disease on this town",
    "{NONPROT} feed on misery like ticks",
)

NONPROTECTED_INSULT = _ts(
    "{NONPROT} are {NPI}",
    "{NONPROT} are scum.",
    "all {NONPROT} are clueless morons",
    "{NONPROT} are the dumbest people alive",
    "{NONPROT} are useless clowns",
    "bunch of brainless {NONPROT}",
    "{NONPROT} are {NPI}, change my mind",
    "every one of these {NONPROT} is an idiot",
    "{NONPROT}: {NPI} since forever",
    "why are {NONPROT} such idiots",
    "{NONPROT} are lying scumbags",
    "never met {NONPROT} who weren't complete idiots",
    "{NONPROT} are brain-dead",
    "{NONPROT} are a bunch of clowns",
    "{NONPROT} are the scum of the earth",
)

OBJECT_ABUSE = _ts(
    "this {OBJ} is garbage",
    "the {OBJ} is trash, returning it",
    "worst {OBJ} I've ever bought",
    "this {OBJ} is a total piece of junk",
    "the new {OBJ} is useless",
    "this {OBJ} can die in a fire",
    "what a disgusting design, this {OBJ}",
    "{OBJ} broke after two days. rubbish",
    "this {OBJ} is a disaster and so is the support team's script",
    "absolute waste of money, this {OBJ}",
    "I hate this stupid {OBJ}",
    "the {OBJ} is pathetic, it can't even hold a charge",
    "throw that {OBJ} in the bin where it belongs",
    "this {OBJ} deserves to be smashed with a hammer",
    "my {OBJ} is a useless brick now",
    "the latest {OBJ} update is absolute garbage, roll it back",
    "who designed this {OBJ}? a toddler?",
)

NEWS_NEUTRAL = _ts(
    "the militants shelled the town overnight",
    "jihadist groups control much of {REGION}",
    "{ARMED} claimed responsibility for the attack in {REGION}",
    "troops launched an offensive against {ARMED} in {REGION}",
    "police said violent crime fell {PCT}% last year",
    "the report lists {NUM} terrorism arrests in 2022",
    "the army says it killed {NUM} insurgents in an airstrike",
    "a court sentenced {NUM} members of a terrorist cell on {DAY}",
    "analysts warn that extremist recruitment rose online",
    "the ceasefire collapsed after {ARMED} fired rockets at the border",
    "hostages held by {ARMED} were released after negotiations",
    "the defence ministry confirmed {NUM} soldiers were wounded",
    "burglaries in the county rose {PCT}% according to police figures",
    "the UN says {ARMED} are recruiting child soldiers in {REGION}",
    "Islamist militants attacked a checkpoint in {REGION}, officials said",
    "the government designated the group a terrorist organisation",
    "a car bomb killed {NUM} people at a market in {REGION}",
    "the homicide rate is at its lowest level since the 1990s",
    "the militia withdrew from {REGION} after talks",
    "counter-terrorism police arrested a man suspected of planning an attack",
    "{NUM} people were arrested after clashes at the protest",
    "the suspect was charged with murder, police said on {DAY}",
    "the report found knife crime rose {PCT}% in the capital",
    "the platform says it removes jihadist propaganda faster than last year",
    "{ARMED} ambushed a convoy in {REGION}, killing {NUM} soldiers",
)

ORDINARY = _ts(
    "the new tax bill is a mess, hope the senate fixes it",
    "great game last night, {TEAM} finally won",
    "weather's been awful all week",
    "does anyone know if the pharmacy on {STREET} is open on {DAY}?",
    "love this recipe, added extra garlic",
    "my package arrived two days late but it works fine",
    "the council should fix the potholes on {STREET}",
    "who's watching the debate tonight?",
    "rain again?? seriously",
    "{TEAM} need a new striker, the midfield is fine",
    "voted early this morning, no queue at all",
    "this {OBJ} has a great battery, would recommend",
    "the {TRANSIT} was 20 minutes late again",
    "anyone else think the new logo looks kind of cheap",
    "the budget debate went on for hours, nothing decided",
    "snow forecast for {DAY}, stock up on bread",
    "our local MP held a surgery at the library",
    "can't wait for the season opener on {DAY}",
    "refund processed within a week, good service",
    "first time trying this {FOOD} place, not bad at all",
    "turnout was low in the by-election",
    "the referee made some questionable calls but we deserved the draw",
    "the heatwave is supposed to end {DAY}",
    "bought the {OBJ} on sale, pretty happy with it",
    "anyone got tickets for {TEAM} on {DAY}?",
    "the new {OBJ} update finally fixed the bluetooth",
    "polls close at 10pm, go vote",
    "the plan for bike lanes on {STREET} seems fine to me",
    "forecast says sunny {DAY}, picnic time",
    "my {OBJ} arrived today, setup took ten minutes",
    "the council meeting is streaming live {DAY}",
)

VIOLENT_IDIOM = _ts(
    "this song kills",
    "I'm going to murder this {FOOD}",
    "the comedian killed it last night",
    "shoot me a message when you're free",
    "headshot in {GAME}, what a clip",
    "this traffic is killing me",
    "she slayed that performance",
    "we absolutely destroyed them 5-0",
    "break a leg tonight!",
    "you killed it at karaoke last night, {FIRST}",
    "gonna attack this pile of laundry",
    "I'd kill for a coffee right now",
    "just got a triple kill in {GAME}",
    "that boss fight murdered me",
    "blow up my phone if you need anything",
    "lol you're dead to me for spoiling the finale",
    "totally bombed that exam",
    "shoot, I forgot my keys",
    "I'll hunt down that recipe for you, {FIRST}",
    "{TEAM} got slaughtered in the second half",
    "this {FOOD} is to die for",
    "the new album is fire, absolutely explosive",
    "my legs are dead after leg day",
    "our quiz team smashed the other teams {DAY}",
    "{FIRST} absolutely murdered that guitar solo",
    "that exam killed me",
    "going to kill some time at the mall before the {TRANSIT}",
    "{TEAM} are killing it this season",
    "fight me, pineapple on pizza is great",
    "took a shot from half court and it went in!",
    "knock 'em dead at the interview, {FIRST}!",
    "this workout is going to be the death of me",
)


# --------------------------------------------------------------------------------------------
# Implicit and indirect hate, and the hard negatives that mirror it
# --------------------------------------------------------------------------------------------

#: Derogation without an explicit insult: stereotypes, insinuation, sweeping "they all"
#: generalisations, and "people like that" suggestions.
IMPLICIT_DEROGATION = _ts(
    "funny how the crime rate went up right after the {G} moved in",
    "lock your car, {G} just moved in down the road",
    "{G} always have their hand out, don't they",
    "notice how it's always {G} who play the victim?",
    "{G} all stick together and look after their own, at everyone else's expense",
    "you can always tell which houses on the street belong to {G}",
    "I'd count my change twice if {a_g} served me",
    "{G} seem to get everything handed to them while the rest of us work",
    "hire {a_g} and see how long before things start going missing",
    "{G} shouldn't be raising children, it isn't fair on the kids",
    "{G} are only good for one thing and it isn't work",
    "there's a reason nobody wants to live next to {G}",
    "{G} never really fit in, and they never will",
    "interesting how every scandal somehow traces back to {G}",
    "{G} know exactly what they're doing, they just pretend to be victims",
    "a {g} as a manager? good luck with that",
    "you let one {g} in and suddenly the whole street changes",
    "{G} have a funny idea of what counts as honest work",
    "they all act the same, {G}. you've seen one, you've seen them all",
    "{G} just aren't built for responsibility",
    "the neighbourhood was lovely until the {G} arrived",
    "put {G} in charge and watch it all fall apart",
    "{G} are fine as long as they stay in their own part of town",
    "no wonder the company went under, they hired {G}",
    "{G} don't do anything unless there's something in it for them",
    "I'm sure {G} have many talents. honesty just isn't one of them",
    "I don't let my kids play at the park anymore, too many {G} around",
    _t("women belong in the kitchen, not in the boardroom", only=("women",)),
    _t(
        "a woman's opinion on politics is worth about as much as her cooking advice",
        only=("women",),
    ),
    _t("women only got that job to fill a quota", only=("women",)),
    _t("of course she cried in the meeting, women can't handle pressure", only=("women",)),
    _t("{G} only get promoted by sleeping with the boss", only=("women",)),
    _t("follow the money and you'll always find the {G} behind it", only=("jews",)),
    _t("funny how {G} own all the banks and all the newspapers", only=("jews",)),
    _t("the {G} always find a way to profit from a war", only=("jews",)),
    _t("ask yourself who really runs Hollywood. hint: the {G}", only=("jews",)),
    _t("{G} can't ever really integrate, their religion won't let them", only=("muslims",)),
    _t("give it twenty years and {G} will have sharia law here", only=("muslims",)),
    _t("there's always a {g} involved when something blows up", only=("muslims",)),
    _t("{G} come here for the benefits, not for work", only=("immigrants", "origin")),
    _t("{G} send every penny home and give nothing back", only=("immigrants", "origin")),
    _t(
        "{G} are happy to take our money but won't learn our language",
        only=("immigrants", "origin"),
    ),
    _t("{G} just want to recruit our kids", only=("gay_people", "trans_people")),
    _t("keep {G} away from schools, we all know why", only=("gay_people", "trans_people")),
    _t("{G} are just confused and need therapy, not surgery", only=("trans_people",)),
    _t("{G} are mentally ill and we're all supposed to play along", only=("trans_people",)),
    _t("being gay is a lifestyle choice and a sad one", only=("gay_people",)),
    _t("{G} are a drain on the system, plain and simple", only=("disabled_people",)),
    _t("{G} are just faking it to get free money", only=("disabled_people",)),
    _t("why should my taxes pay for {G} who contribute nothing", only=("disabled_people",)),
    _t("{G} don't know who their fathers are half the time", only=("black_people",)),
    _t(
        "you know which neighbourhood to avoid at night, the one full of {G}",
        only=("black_people",),
    ),
    _t("{G} only got into college because of affirmative action", only=("black_people",)),
)

#: Statements that violence or harm against a group would be good, deserved or right.
THREAT_NORMATIVE = _ts(
    "{G} deserve to die.",
    "all {G} deserve to suffer",
    "the world would be a better place if every {g} dropped dead",
    "{G} should be wiped off the face of the earth",
    "it should be legal to hunt {G}",
    "{G} ought to be put down like rabid dogs",
    "if {G} started dying off I wouldn't shed a tear",
    "someone really ought to deal with the {G} permanently",
    "{G} should be locked in camps and left there",
    "honestly I'd be fine if the {G} all got hurt",
    "{G} should be sterilised so there are no more of them",
    "it's about time somebody taught the {G} a violent lesson",
    "the only good {g} is a dead one",
    "{G} should be beaten in the streets until they leave",
    "{G} deserve every bit of violence that comes their way",
    "exterminating {G} would solve a lot of problems",
    "{G} need to be eliminated, there's no other solution",
    "the right thing to do would be to get rid of {G} for good",
    "I hope {G} get what's coming to them, and it won't be pretty",
    "nobody would miss the {G} if they were all gone tomorrow",
    "{G} don't deserve to live",
    "{G} shouldn't be allowed to live, let alone vote",
    "no {g} should be left alive",
    "{G} do not deserve mercy. they deserve a bullet",
    "there should be no {G} left on this earth",
    "{G} are not fit to live among us and should be dealt with accordingly",
    "hanging is too good for {G}",
    "{G} need a good beating to remind them of their place",
    "shooting {G} should be a national sport",
    "every {g} should be thrown in prison or worse",
)

#: First-person threats of violence against a group.
THREAT_GROUP_DIRECT = _ts(
    "I'm going to kill every {g} I can find",
    "we are going to make the {G} pay in blood",
    "I will hurt the next {g} who crosses my path",
    "tonight we go after the {G}. bring weapons",
    "I swear I will shoot the {G} at their {PLACE}",
    "we'll make sure no {g} in this town feels safe",
    "I'm coming for you {G}, and I'm armed",
    "count the days, {G}. we're going to get rid of you ourselves",
)

#: Hate stated as the denial of something positive.
NEGATED_POSITIVE = _ts(
    "{G} are not {POS}, stop pretending they are",
    "there is nothing {POS} about {G}",
    "I've never met {a_g} who was {POS}",
    "{G} will never be {POS}",
    "no {g} has ever been {POS} in their life",
    "{G} aren't capable of being {POS}",
    "{G} can't be trusted and never could",
    "{G} are not worth the air they breathe",
    "I don't believe {G} can ever be {POS}",
    "don't tell me {G} are {POS}. they aren't and never have been",
    "{G} lack any sense of decency",
    "{G} have no morals whatsoever",
)

#: Hate about a group named in one sentence and referred to by a pronoun in the next.
PRONOUN_REFERENCE = _ts(
    "I met some {G} at work today. They're all {NEG}.",
    "{G}? I can't stand them.",
    _t("Don't talk to me about {G}. They are {DN}.", extra=("dehumanization",)),
    "My new neighbours are {G}. I hope they leave soon, they make me sick.",
    "Saw a group of {G} on the train. Disgusting, all of them.",
    "{G} moved into our building. They ruin everything they touch.",
    "There's {a_g} in my class. I wish they'd just disappear.",
    "They keep hiring {G} at my office. None of them deserve to be there.",
    "Another {g} on the news. They really are the worst.",
    "We have {G} on our street now. Someone should drive them out.",
    "The school is full of {G}. They're poisoning the place.",
    _t(
        "You know the {G} who run the shop downstairs? They're filthy {DN}.",
        extra=("dehumanization",),
    ),
    "{G} again. They never stop whining.",
    _t("I see {G} everywhere now. It's like they breed in the sewers.", extra=("dehumanization",)),
    "{G} want more rights. They don't even deserve the ones they have.",
)

#: Positive statements about a group (the same "{G} are ..." shape as attacks).
POSITIVE_IDENTITY_ADJ = _ts(
    "{G} are {POS}.",
    "I love {G}",
    "honestly {G} are {POS}",
    "{G} are so {POS}, I love them",
    "every {g} I know is {POS}",
    "we need more {G} in leadership",
    "{G} are the best, no debate",
    "the world needs more {G}",
    "I'm {a_g} and I love who I am",
    "{G} are {POS} and deserve to be celebrated",
    "never underestimate {G}, they are {POS}",
    "{G} are beautiful, inside and out",
    "so many {G} are doing {POS} work in our community",
    "I admire {G} so much",
    "{G} bring so much to this country",
    "my {GA} friends are the most {POS} people I know",
    "being {a_g} is something to be proud of",
    "{G} deserve love and respect like everyone else",
    "{G} are valid and loved",
    "really grateful for all the {G} in my life",
)

#: Reporting, quoting or referring to hate in order to condemn it.
COUNTER_REFERENCE = _ts(
    "Saying that {G} are {NEG} is ignorant and hurtful.",
    "Your comment about {G} being {DN} is disgusting. Reported.",
    "I can't believe people in this thread are saying {G} should be deported",
    "claiming {G} deserve to die is hate speech, full stop",
    "my coworker said {G} are {NEG} and I told him to stop being a bigot",
    "it's shocking how many replies here say {G} aren't human",
    "the man on the bus was shouting that {G} should go back home. nobody deserves that",
    "If you think {G} are {NEG}, you need to meet some actual {G}",
    "people who say {G} are {DEHUM} should be ashamed of themselves",
    "stop telling {G} they don't belong here. they do",
    "the article quotes a politician calling {G} {DN}, which is exactly how genocides start",
    "calling {G} a plague is dehumanizing and has no place here",
    "I reported the account that kept posting that {G} should be shot",
    "whoever wrote that {G} are inferior on the wall should be ashamed",
    "no, {G} are not 'ruining the country'. that's bigotry talking",
    "the post saying {G} should be wiped out got thousands of likes. that scares me",
    "threatening {G} online is still a threat. it should be reported to police",
    "it's hateful to say {G} can't be trusted",
    "when you say '{G} are all the same' you're stereotyping",
    "my grandfather used to say {G} were {DN}. I'm glad that kind of talk is dying out",
    "please stop sharing memes that call {G} {DN}",
    "a sign at the rally said {G} deserve to suffer. it was vile and the organisers apologised",
    "The slur shouted at the {GA} player during the match was disgraceful",
    "hate crimes against {G} have risen, and comments like the ones in this thread are part "
    "of the problem",
    "it is not okay to say {G} are inferior. it never was",
    "anyone who thinks {G} are subhuman is a bigot, plain and simple",
    "hating {G} doesn't make you a patriot, it makes you a bigot",
    "telling {G} to go back where they came from is racist",
    "the way people in these comments talk about {G} is disgusting",
    "I'm horrified by the abuse {G} get online every single day",
    "if you hate {G}, unfollow me now",
    "so much hate towards {G} in this thread. do better",
    "wishing death on {G} is never acceptable, whatever your politics",
    "people keep posting that {G} are {DN}. it's dehumanising and the mods should act",
    "comparing {G} to {DN} is how every genocide in history started",
    "my neighbour says {G} are ruining the country. I've stopped talking to him",
    "the speaker claimed {G} were {NEG} and got booed off the stage, as he should",
    "I was shocked to hear a teacher call {G} {NEG} in front of the class",
    "no one should have to read comments saying {G} deserve to be hurt",
    "the report documents how {G} are described as vermin in extremist chats",
    "he called {G} a disease on national TV and somehow still has a job",
    "blaming {G} for everything is the oldest trick in the book",
    "spreading lies that {G} are dangerous puts real people at risk",
    "calling for violence against {G} should get you banned, not promoted",
    "stop with the 'they all' nonsense about {G}. they're individuals",
    "the trolls in this thread who call {G} animals need a good look in the mirror",
)

#: Harmless, factual or affectionate statements with a group and a plain verb ("they all ...").
NEUTRAL_IDENTITY_GENERAL = _ts(
    "{G} come from all walks of life",
    "{G} are just people like anyone else",
    "{G} have the same rights as everyone",
    "{G} pay taxes like the rest of us",
    "a lot of {G} in my town volunteer at the shelter",
    "{G} in our district organised a food drive",
    "{G} are as varied as any other group of people",
    "my best friend is {a_g}",
    "{G} have been part of this country for generations",
    "my {GA} neighbours invited us for dinner",
)


# --------------------------------------------------------------------------------------------
# Thread context
# --------------------------------------------------------------------------------------------

#: Parent comments about a group, under which the hostile replies are hateful.
GROUP_PARENTS: tuple[Template, ...] = _ts(
    _t("{G} keep arriving at the border every week", only=("origin",)),
    _t("More {G} are being resettled in our county this year", only=("origin",)),
    "A new report on {G} living in the city came out today",
    "{G} are planning a march downtown this weekend",
    "The council approved funding for {GO} housing",
    "More {G} moved into our neighbourhood this year",
    "{G} want to build a new community centre on {STREET}",
    "Documentary about {G} premieres tonight",
    "The school hired three {G} as teachers",
    "{G} gathered in the park for a festival yesterday",
    "Should {G} get more representation in parliament?",
    "the new apartment block on {STREET} is mostly {G}",
    "Saw a big group of {G} at the mall today",
    "The city is opening a new support centre for {G}",
    "Our school is welcoming more {G} this year",
    "{G} say they feel unwelcome in this town",
)

THREAD_REPLIES: tuple[ThreadReply, ...] = (
    ThreadReply(
        "they should all be sent back",
        ("identity_attack",),
        (
            "The store got a batch of broken laptops",
            "half the meals at the restaurant came out cold",
            "the new uniforms arrived in the wrong size",
            "the hotel gave us a room with no hot water",
            "the cheap chargers I ordered all overheat",
        ),
    ),
    ThreadReply(
        "get them out of here",
        ("identity_attack",),
        (
            "There are wasps nesting in the shed",
            "the old couches are still sitting in the hallway",
            "Found mice droppings in the pantry",
            "the neighbour's kids keep kicking balls into my yard",
            "ten boxes of junk mail piled up at the door",
        ),
    ),
    ThreadReply(
        "they're animals",
        ("dehumanization", "identity_attack"),
        (
            "The zoo just got two new chimpanzees",
            "Look at these photos of wild horses in the valley",
            "my neighbours' goats escaped again",
            "the football crowd last night after the derby",
            "the toddlers at my niece's birthday party",
        ),
    ),
    ThreadReply(
        "disgusting, every single one of them",
        ("identity_attack",),
        (
            "the cafeteria started serving gas station sandwiches",
            "photos of the portable toilets at the festival",
            "these new energy drink flavours",
            "the hotel breakfast buffet this morning",
            "the public toilets at the train station",
        ),
    ),
    ThreadReply(
        "burn them all",
        ("threat", "identity_attack"),
        (
            "found a box of my ex's old letters",
            "what should I do with these old tax documents?",
            "the garden is full of dead weeds and branches",
            "I have 40 unsold copies of my old zine",
            "we have boxes of old receipts in the attic",
        ),
    ),
    ThreadReply(
        "someone should just shoot them",
        ("threat", "identity_attack"),
        (
            "paintball: the other team has been camping in the tower all game",
            "the zombies in the last level keep respawning",
            "the laser tag kids are hiding behind the bins",
            "the enemy snipers in the last mission keep killing me",
            "the clay pigeons at the range are launching too fast",
        ),
    ),
    ThreadReply(
        "ban them",
        ("identity_attack",),
        (
            "Should e-scooters be allowed on the sidewalk?",
            "these clickbait ads are everywhere now",
            "people keep posting spoilers in the episode thread",
            "fireworks going off at 3am every night",
            "phones ringing during the cinema showing",
        ),
    ),
    ThreadReply(
        "they multiply like rats",
        ("dehumanization", "identity_attack"),
        (
            "the rabbits in my garden had another litter",
            "my browser tabs after one hour of research",
            "the dandelions on my lawn this spring",
            "the unread emails in my inbox",
            "the mice in the barn",
        ),
    ),
    ThreadReply(
        "never trust them",
        ("identity_attack",),
        (
            "Online reviews for cheap VPNs",
            "weather apps said sunshine all week",
            "those 'free' phone games",
            "car salesmen who promise zero percent finance",
            "the weather forecast for the bank holiday",
        ),
    ),
    ThreadReply(
        "they don't belong here",
        ("identity_attack",),
        (
            "someone left shopping carts in the bike lane",
            "there are pineapple slices on this pizza",
            "the winter coats are still in the summer drawer",
            "someone put ketchup on the steak",
            "there are dirty dishes in the bathroom sink",
        ),
    ),
    ThreadReply(
        "they are a plague",
        ("dehumanization", "identity_attack"),
        (
            "pop-up ads on this news site",
            "the mosquitoes at the lake this summer",
            "scooters dumped on every corner downtown",
            "the robocalls about my car warranty",
            "the wasps at every picnic this year",
        ),
    ),
    ThreadReply(
        "keep them away from our kids",
        ("identity_attack",),
        (
            "energy drinks sold in the school vending machine",
            "those ultra-violent video games",
            "the new loot box mechanics in kids' games",
            "the candy aisle right at the checkout",
            "the gambling ads during football matches",
        ),
    ),
    ThreadReply(
        "exterminate them",
        ("threat", "dehumanization", "identity_attack"),
        (
            "cockroaches in my apartment again",
            "termites found in the porch beams",
            "the bedbugs are back after the holiday",
            "ants marching across the kitchen counter",
            "found silverfish in the bathroom again",
        ),
    ),
    ThreadReply(
        "they're all the same, lazy and dirty",
        ("identity_attack",),
        (
            "my cats sleep all day and shed everywhere",
            "the hostel's dorm rooms",
            "my brother's dogs after a walk in the rain",
            "the pigs at the petting farm",
            "the ducks in the village pond",
        ),
    ),
    ThreadReply(
        "they should not be allowed to vote",
        ("identity_attack",),
        (
            "bots are flooding the online fan poll",
            "people who never watched the show are voting in the finale poll",
            "fake accounts in the subreddit election",
            "the dog accidentally got a ballot in the mail",
            "the office poll is full of duplicate entries",
        ),
    ),
    ThreadReply(
        "we need fewer of them in this country",
        ("identity_attack",),
        (
            "fast-food chains on every corner",
            "billboards along the highway",
            "self-checkout machines in every shop",
            "meetings that should have been emails",
            "streaming services with their own apps",
        ),
    ),
    ThreadReply(
        "they ruin everything",
        ("identity_attack",),
        (
            "sequels to great movies",
            "automatic software updates",
            "microtransactions in video games",
            "reality TV reboots",
            "people who recline their seats on planes",
        ),
    ),
    ThreadReply(
        "send them back where they came from",
        ("identity_attack",),
        (
            "my online order came with the wrong shoes",
            "the restaurant sent out the wrong dishes again",
            "the parcel was delivered to the wrong address",
            "the hotel room had someone else's towels",
            "the supplier shipped us the wrong cables",
        ),
    ),
    ThreadReply(
        "lock them all up and throw away the key",
        ("identity_attack",),
        (
            "the bank executives who rigged the rates",
            "the gang stealing catalytic converters on our street",
            "the guys who vandalised the playground",
            "the executives behind the pension fraud",
            "the scammers who emptied my gran's bank account",
        ),
    ),
    ThreadReply(
        "filthy creatures, the lot of them",
        ("dehumanization", "identity_attack"),
        (
            "the pigeons nesting on my balcony",
            "the seagulls stealing chips on the pier",
            "the raccoons that got into the bins again",
            "the rats in the subway tunnels",
            "the flies around the compost heap",
        ),
    ),
    ThreadReply(
        "yep, vermin, the lot of them",
        ("dehumanization", "identity_attack"),
        (
            "Rats got into the grain store again",
            "the pigeons are nesting under the bridge again",
            "cockroaches all over the kitchen of that takeaway",
        ),
    ),
    ThreadReply(
        "Honestly? I wish they'd all just disappear",
        ("identity_attack",),
        (
            "my inbox is full of spam emails again",
            "the mosquitoes are terrible this summer",
            "pop-up ads on every single website now",
        ),
    ),
    ThreadReply(
        "Agreed. They breed like rabbits and take over everything.",
        ("dehumanization", "identity_attack"),
        (
            "The rabbits have taken over the allotment",
            "the weeds in my garden are out of control",
            "mould keeps spreading in the bathroom",
        ),
    ),
    ThreadReply(
        "this is why I say burn it all down with them inside",
        ("threat", "identity_attack"),
        (
            "the wasps built a huge nest in the old shed",
            "termites are eating through the barn",
            "the old shack is crawling with rats",
        ),
    ),
    ThreadReply(
        "kill them all",
        ("threat", "identity_attack"),
        (
            "there are fruit flies all over my kitchen",
            "the zombies in this game keep respawning",
            "aphids are all over the roses",
        ),
    ),
    ThreadReply(
        "ugh, they make me sick",
        ("identity_attack",),
        (
            "the new reality show is all fake drama",
            "the smell from the sewage plant drifts over the whole estate",
            "those influencers filming pranks in the supermarket",
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------------------------

IA = ("identity_attack",)

KINDS: tuple[Kind, ...] = (
    # positives
    Kind("identity_negative_attribute", IA, IDENTITY_NEGATIVE, True, hostile_forms=True),
    Kind("identity_contempt", IA, IDENTITY_CONTEMPT, True, hostile_forms=True),
    Kind("identity_exclusion", IA, IDENTITY_EXCLUSION, True, hostile_forms=True),
    Kind(
        "dehumanization_group",
        ("dehumanization", "identity_attack"),
        DEHUMANIZATION_GROUP,
        True,
        hostile_forms=True,
    ),
    Kind(
        "dehumanization_polite",
        ("dehumanization", "identity_attack"),
        DEHUMANIZATION_POLITE,
        True,
    ),
    Kind("slur_at_group", ("slur", "identity_attack"), SLUR_AT_GROUP, True, weight=2.0),
    Kind(
        "slur_at_person",
        ("slur", "identity_attack", "insult"),
        SLUR_AT_PERSON,
        True,
        weight=2.0,
    ),
    Kind("threat_group", ("threat", "identity_attack"), THREAT_GROUP, True, hostile_forms=True),
    Kind("threat_individual", ("threat",), THREAT_INDIVIDUAL, True),
    Kind("threat_public_figure", ("threat",), THREAT_PUBLIC_FIGURE, True),
    Kind("negated_hate", IA, NEGATED_HATE, True, hostile_forms=True),
    Kind("hate_question", IA, HATE_QUESTION, True, hostile_forms=True),
    Kind("hate_opinion", IA, HATE_OPINION, True),
    Kind("insult_person", ("insult",), INSULT_PERSON, True),
    Kind("profanity_only", ("profanity",), PROFANITY_ONLY, True),
    Kind("profanity_at_person", ("insult", "profanity"), PROFANITY_AT_PERSON, True),
    Kind("profanity_name_glue", ("insult", "profanity"), PROFANITY_NAME_GLUE, True),
    Kind(
        "profanity_at_group",
        ("identity_attack", "profanity"),
        PROFANITY_AT_GROUP,
        True,
        hostile_forms=True,
    ),
    Kind("implicit_derogation", IA, IMPLICIT_DEROGATION, True, hostile_forms=True),
    Kind(
        "threat_normative",
        ("threat", "identity_attack"),
        THREAT_NORMATIVE,
        True,
        hostile_forms=True,
    ),
    Kind("threat_group_direct", ("threat", "identity_attack"), THREAT_GROUP_DIRECT, True),
    Kind("negated_positive", IA, NEGATED_POSITIVE, True, hostile_forms=True),
    Kind("pronoun_reference", IA, PRONOUN_REFERENCE, True, hostile_forms=True),
    # hard negatives
    Kind("positive_identity_adj", (), POSITIVE_IDENTITY_ADJ, False, weight=NEGATIVE_WEIGHT),
    Kind(
        "counter_reference",
        (),
        COUNTER_REFERENCE,
        False,
        weight=NEGATIVE_WEIGHT,
        auto_profanity=False,
        clean_slurs=True,
    ),
    Kind("neutral_identity_general", (), NEUTRAL_IDENTITY_GENERAL, False, weight=NEGATIVE_WEIGHT),
    Kind("neutral_identity", (), NEUTRAL_IDENTITY, False, weight=NEGATIVE_WEIGHT),
    Kind("positive_identity", (), POSITIVE_IDENTITY, False, weight=NEGATIVE_WEIGHT),
    Kind("reclaimed_slur", (), RECLAIMED, False, weight=NEGATIVE_WEIGHT),
    Kind("homonym", (), HOMONYM, False, weight=NEGATIVE_WEIGHT, auto_profanity=False),
    Kind(
        "counter_speech",
        (),
        COUNTER_SPEECH,
        False,
        weight=NEGATIVE_WEIGHT,
        auto_profanity=False,
        clean_slurs=True,
    ),
    Kind("denied_hate", (), DENIED_HATE, False, weight=NEGATIVE_WEIGHT),
    Kind(
        "nonprotected_dehumanization",
        ("dehumanization",),
        NONPROTECTED_DEHUMANIZATION,
        False,
        weight=2.0,
    ),
    Kind("nonprotected_insult", ("insult",), NONPROTECTED_INSULT, False, weight=2.0),
    Kind("object_abuse", (), OBJECT_ABUSE, False, weight=NEGATIVE_WEIGHT),
    Kind("news_neutral", (), NEWS_NEUTRAL, False, weight=NEGATIVE_WEIGHT),
    Kind("ordinary_comment", (), ORDINARY, False, weight=NEGATIVE_WEIGHT),
    Kind("violent_idiom", (), VIOLENT_IDIOM, False, weight=NEGATIVE_WEIGHT),
)

THREAD_HATEFUL_KIND = "thread_context_hateful"
THREAD_BENIGN_KIND = "thread_context_benign"


# --------------------------------------------------------------------------------------------
# Profanity detection, noise and filling
# --------------------------------------------------------------------------------------------

#: Obscene words. Substrings for the unambiguous stems (so glued names such as "Smithcunt"
#: match); whole words for stems that occur inside ordinary words (ass/class, crap/scrap).
PROFANE_RE = re.compile(
    r"fuck|shit|cunt|twat|wank|bitch|bastard|bollock|motherf|dick|piss|damn|douche"
    r"|\b(?:ass|asses|asshole\w*|asswipe\w*|jackass|dumbass|badass|smartass|arse|arsehole\w*"
    r"|arsewipe\w*|prick|pricks|cock|cocks|cockwomble\w*|cocksucker\w*|crap|crappy)\b",
    re.IGNORECASE,
)

SLOT_RE = re.compile(r"\{(\w+)\}")
WORD_RE = re.compile(r"[A-Za-z]{4,}")


def _article(phrase: str) -> str:
    """Return ``phrase`` preceded by the indefinite article it takes."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _capitalize_article(filled: str, template: str) -> str:
    """Capitalise an article slot that opens the sentence (``{a_GO} film festival...``)."""
    if template.startswith("{a_") and filled[:1].islower():
        return filled[:1].upper() + filled[1:]
    return filled


def _eligible_groups(template: Template, kind: Kind, needs_slur: bool) -> list[Group]:
    """Groups that may fill ``template`` in ``kind``."""
    out: list[Group] = []
    for group in GROUPS:
        if template.only and not (
            group.key in template.only or ("origin" in template.only and group.origin)
        ):
            continue
        if needs_slur and not _slurs_for(group, kind):
            continue
        out.append(group)
    return out


def _slurs_for(group: Group, kind: Kind) -> list[Slur]:
    """Slurs of ``group`` usable in ``kind`` (non-obscene only when ``kind.clean_slurs``)."""
    if not kind.clean_slurs:
        return list(group.slurs)
    return [s for s in group.slurs if not PROFANE_RE.search(s.plural)]


def _glue(rng: random.Random) -> str:
    """Glue an obscenity to a fake name: ``Smithcunt``, ``Davefuck``, ``Shitbori``."""
    name = rng.choice(GLUE_NAMES)
    roll = rng.random()
    if roll < 0.6:
        return name + rng.choice(GLUE_SUFFIXES)
    if roll < 0.85:
        return rng.choice(GLUE_PREFIXES) + name.lower()
    return f"{name}-{rng.choice(GLUE_SUFFIXES)}"


def _resolve(
    slots: Sequence[str], group: Group | None, kind: Kind, rng: random.Random
) -> dict[str, str]:
    """Choose a value for every slot name in ``slots`` (one value per name per example)."""
    values: dict[str, str] = {}
    slur: Slur | None = None
    if group is not None and SLUR_SLOTS.intersection(slots):
        slur = rng.choice(_slurs_for(group, kind))
    for name in slots:
        if name in values:
            continue
        if name in GROUP_SLOTS:
            assert group is not None
            values[name] = _group_value(name, group, slur, kind, rng)
        elif name == "GLUE":
            values[name] = _glue(rng)
        elif name in {"a_IN", "a_PN", "a_IA"}:
            base = name[2:]
            if base not in values:
                values[base] = rng.choice(SLOTS[base])
            values[name] = _article(values[base])
        else:
            values[name] = rng.choice(SLOTS[name])
    return values


def _group_value(name: str, group: Group, slur: Slur | None, kind: Kind, rng: random.Random) -> str:
    """Value of one group slot for ``group``."""
    if name == "G":
        forms = list(group.plural)
        if kind.hostile_forms and group.hostile and rng.random() < 0.3:
            forms = list(group.hostile)
        return rng.choice(forms)
    if name == "g":
        return rng.choice(group.singular)
    if name == "a_g":
        return _article(rng.choice(group.singular))
    if name == "GA":
        return group.person_adj
    if name == "a_GA":
        return _article(group.person_adj)
    if name == "GO":
        return group.org_adj
    if name == "a_GO":
        return _article(group.org_adj)
    if name == "PLACE":
        return rng.choice(group.places)
    assert slur is not None
    if name == "S":
        return slur.singular
    if name == "Ss":
        return slur.plural
    return _article(slur.singular)  # a_S


def _fill(text: str, values: Mapping[str, str]) -> str:
    """Substitute ``values`` into the ``{slot}`` placeholders of ``text``."""
    filled = SLOT_RE.sub(lambda m: values[m.group(1)], text)
    return _capitalize_article(filled, text)


def _typo(text: str, rng: random.Random) -> str:
    """Introduce one typo in a literal (non-slot, non-obscene) word of a template."""
    parts = re.split(r"(\{\w+\})", text)
    candidates: list[tuple[int, re.Match[str]]] = []
    for i, part in enumerate(parts):
        if part.startswith("{"):
            continue
        for m in WORD_RE.finditer(part):
            if not PROFANE_RE.search(m.group(0)):
                candidates.append((i, m))
    if not candidates:
        return text
    i, m = rng.choice(candidates)
    word = m.group(0)
    pos = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:  # swap two adjacent letters
        new = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    elif op == 1:  # drop a letter
        new = word[:pos] + word[pos + 1 :]
    else:  # double a letter
        new = word[:pos] + word[pos] + word[pos:]
    if PROFANE_RE.search(new):  # never let a typo create an obscenity ("country" -> "cuntry")
        return text
    parts[i] = parts[i][: m.start()] + new + parts[i][m.end() :]
    return "".join(parts)


def _surface_noise(text: str, rng: random.Random) -> str:
    """Vary case and final punctuation the way real comments do."""
    roll = rng.random()
    if roll < 0.2:
        text = text.lower()
    elif roll < 0.24:
        text = text.upper()
    elif roll < 0.34:
        text = text[:1].upper() + text[1:]
    roll = rng.random()
    if text.endswith(".") and not text.endswith("..") and roll < 0.3:
        text = text[:-1]
    elif text[-1:].isalnum() and roll < 0.12:
        text += rng.choice(("!", "!!", "...", " !!!", "."))
    return text


def _render(template: Template, values: Mapping[str, str], rng: random.Random) -> tuple[str, str]:
    """Return ``(clean, noisy)`` renderings of ``template`` with the same slot values."""
    clean = _fill(template.text, values)
    noisy_template = _typo(template.text, rng) if rng.random() < 0.12 else template.text
    noisy = _surface_noise(_fill(noisy_template, values), rng)
    return clean, noisy


def _labels(names: Sequence[str], clean_text: str, auto_profanity: bool) -> dict[str, int]:
    """The full six-label dict: 1 for ``names`` (and obscene text, if enabled), else 0."""
    labels = {label: int(label in names) for label in LABELS}
    if auto_profanity and PROFANE_RE.search(clean_text):
        labels["profanity"] = 1
    return labels


def _norm_key(text: str, parent: str | None) -> tuple[str, str]:
    """Deduplication key: case- and punctuation-insensitive text plus parent."""
    squash = re.compile(r"[^a-z0-9]+")
    return squash.sub(" ", text.lower()).strip(), squash.sub(" ", (parent or "").lower()).strip()


def _example(
    text: str, labels: dict[str, int], kind: str, parent: str | None = None
) -> dict[str, object]:
    """Assemble one example in the output schema."""
    return {"text": text, "labels": labels, "parent": parent, "kind": kind, "source": SOURCE}


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


def _generate_kind(kind: Kind, rng: random.Random, n_per_pattern: int) -> list[dict]:
    """Generate the examples of one kind (``n_per_pattern * weight`` fills per template)."""
    attempts = max(1, round(n_per_pattern * kind.weight))
    out: list[dict] = []
    for template in kind.templates:
        slots = SLOT_RE.findall(template.text)
        needs_group = bool(GROUP_SLOTS.intersection(slots))
        groups = (
            _eligible_groups(template, kind, bool(SLUR_SLOTS.intersection(slots)))
            if needs_group
            else []
        )
        if needs_group and not groups:
            raise ValueError(f"no group can fill {template.text!r} in {kind.name}")
        for _ in range(attempts):
            group = rng.choice(groups) if groups else None
            values = _resolve(slots, group, kind, rng)
            clean, noisy = _render(template, values, rng)
            names = kind.labels + template.extra
            labels = _labels(names, clean, kind.auto_profanity)
            out.append(_example(noisy, labels, kind.name))
    return out


def _generate_threads(rng: random.Random, n_per_pattern: int) -> list[dict]:
    """Same reply under a group parent (labelled) and under benign parents (all zero)."""
    out: list[dict] = []
    blank = Kind("thread", (), (), False)
    hateful_n = max(1, round(n_per_pattern * POSITIVE_WEIGHT))
    for reply in THREAD_REPLIES:
        reply_t = Template(reply.text)
        for _ in range(hateful_n):
            parent_t = rng.choice(GROUP_PARENTS)
            slots = SLOT_RE.findall(parent_t.text)
            group = rng.choice(_eligible_groups(parent_t, blank, needs_slur=False))
            parent = _surface_noise(_fill(parent_t.text, _resolve(slots, group, blank, rng)), rng)
            clean, noisy = _render(reply_t, {}, rng)
            labels = _labels(reply.labels, clean, auto_profanity=True)
            out.append(_example(noisy, labels, THREAD_HATEFUL_KIND, parent))
        for i in range(hateful_n):
            parent = reply.benign_parents[i % len(reply.benign_parents)]
            clean, noisy = _render(reply_t, {}, rng)
            parent = _surface_noise(parent, rng)
            out.append(_example(noisy, _labels((), clean, True), THREAD_BENIGN_KIND, parent))
    return out


def generate_examples(seed: int = 13, n_per_pattern: int = 6) -> list[dict]:
    """Return generated training examples:
    {"text": str, "labels": {"slur":0|1, "dehumanization":0|1, "identity_attack":0|1,
     "threat":0|1, "insult":0|1, "profanity":0|1}, "parent": str | None,
     "kind": str (the pattern name), "source": "synthetic"}.
    Every one of the six labels is always given (0 or 1).

    Each template of each kind is filled ``n_per_pattern`` times (scaled by the kind's
    weight); near-duplicates (same text and parent ignoring case and punctuation) are dropped,
    the first occurrence winning. The output depends only on ``seed`` and ``n_per_pattern``.
    """
    if n_per_pattern < 1:
        raise ValueError("n_per_pattern must be >= 1")
    rng = random.Random(seed)
    raw: list[dict] = []
    for kind in KINDS:
        raw.extend(_generate_kind(kind, rng, n_per_pattern))
    raw.extend(_generate_threads(rng, n_per_pattern))

    seen: set[tuple[str, str]] = set()
    examples: list[dict] = []
    for example in raw:
        key = _norm_key(example["text"], example["parent"])
        if key in seen:
            continue
        seen.add(key)
        examples.append(example)
    return examples


def examples_digest(examples: Sequence[Mapping[str, object]]) -> str:
    """SHA-256 of the canonical JSON encoding of ``examples`` (for determinism checks)."""
    payload = json.dumps(list(examples), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def is_hateful(labels: Mapping[str, int]) -> bool:
    """Derived ``hateful``: slur, dehumanization or identity attack (group threats carry one)."""
    return bool(labels["slur"] or labels["dehumanization"] or labels["identity_attack"])


def _summary(examples: Sequence[Mapping[str, object]]) -> None:
    """Print counts per kind and per label."""
    positive_kinds = {k.name for k in KINDS if k.positive} | {THREAD_HATEFUL_KIND}
    per_kind = Counter(str(e["kind"]) for e in examples)
    per_label: Counter[str] = Counter()
    hateful = any_label = pos_kind = 0
    for e in examples:
        labels = e["labels"]
        assert isinstance(labels, dict)
        assert set(labels) == set(LABELS), labels
        assert all(v in (0, 1) for v in labels.values()), labels
        for label, value in labels.items():
            per_label[label] += value
        hateful += is_hateful(labels)
        any_label += any(labels.values())
        pos_kind += e["kind"] in positive_kinds
    print(f"total examples: {len(examples)}")
    print("\nper kind:")
    for kind, count in per_kind.items():
        tag = "+" if kind in positive_kinds else "-"
        print(f"  {tag} {kind:<30} {count:>5}")
    print("\nper label:")
    for label in LABELS:
        print(f"  {label:<16} {per_label[label]:>5}")
    print(f"\nhateful (derived): {hateful}")
    print(f"any label set:     {any_label}   all-zero: {len(examples) - any_label}")
    print(f"positive kinds:    {pos_kind}   hard-negative kinds: {len(examples) - pos_kind}")
    print(f"with parent:       {sum(e['parent'] is not None for e in examples)}")


if __name__ == "__main__":
    first = generate_examples()
    second = generate_examples()
    assert examples_digest(first) == examples_digest(second), "generator is not deterministic"
    assert examples_digest(generate_examples(seed=14)) != examples_digest(first)
    _summary(first)
    print(f"\ndigest (seed=13): {examples_digest(first)}")
