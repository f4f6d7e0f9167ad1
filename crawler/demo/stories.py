"""Story texts for the offline demo site and the tests' mirror (:mod:`tests.mirror`): distinct,
plausible wire stories on a dozen topics, each topic with its own sentences, filled from a seed (the
story's number), so every run gets the same words. Written for wirecrawl; no real story is copied.

Twelve consecutive numbers give twelve topics that share no 5-word shingle; stories of one topic differ
in the sentences chosen and in every name, number and place (among the first 30 stories no two share
more than 0.45 of their shingles, under the clustering threshold of 0.5).
A slot (``{amount}``) has one value throughout a story, so its headline and text agree; what a slot
holds is said by its name's start (``few``, ``tens``, ``hundreds``, ``person``, ...).
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass

FIRST = ("Maria", "James", "Aiko", "Daniel", "Fatima", "Robert", "Elena", "Samuel", "Grace", "Viktor",
         "Nadia", "Thomas", "Hye-jin", "Carlos", "Ingrid", "Omar", "Lucy", "Pedro", "Amara", "Henrik")
LAST = ("Alvarez", "Whitfield", "Tanaka", "Okafor", "Lindqvist", "Moreau", "Brennan", "Haddad",
        "Kowalski", "Nakamura", "Osei", "Fischer", "Park", "Delgado", "Mbeki", "Rasmussen", "Ito",
        "Castellano", "Novak", "Sheridan")
ROLES = ("spokeswoman", "spokesman", "deputy director", "senior official", "regional manager",
         "chairwoman", "senior adviser")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")


@dataclass(frozen=True)
class Topic:
    headlines: tuple[str, ...]
    leads: tuple[str, ...]
    sentences: tuple[str, ...]
    closings: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(  # a council vote
        headlines=("City council approves ${tens_amount} million harbor repair plan after long debate",
                   "Harbor wall repairs win {vote} council vote in late-night session"),
        leads=("The {place} city council approved a ${tens_amount} million plan to repair the harbor wall "
               "and {few_piers} ferry piers on {weekday}, after a debate that ran well past midnight.",
               "Council members in {place} voted {vote} on {weekday} to borrow ${tens_amount} million for "
               "repairs to a harbor wall that engineers say could fail in a strong storm.",
               "After {few_hours} hours of debate, the {place} council backed a ${tens_amount} million "
               "harbor repair plan by a vote of {vote} early on {weekday}."),
        sentences=("Supporters said the work must begin before the storm season, when waves of up to "
                   "{few_meters} meters have overtopped the wall in recent years.",
                   "Opponents argued that the plan relied on optimistic revenue estimates and asked for an "
                   "independent review of the port authority's accounts.",
                   "{person}, a {role} for the port authority, said contractors could start within "
                   "{few_weeks} weeks if the state releases its share of the money.",
                   "Fishing crews who moor along the damaged section said they had waited {few_years} years "
                   "for a decision and would believe it when the cranes arrived.",
                   "The vote followed a public hearing at which {hundreds_speakers} residents signed up to "
                   "speak, most of them in favor of the repairs.",
                   "The plan also pays for a new pumping station to keep the low-lying market district "
                   "from flooding at high tide.",
                   "Property taxes will not rise to pay for the work, the city's finance office said, "
                   "though harbor fees will go up by {few_pct} percent.",
                   "An engineering survey last year found {tens_cracks} cracks in the concrete, some wide "
                   "enough to put a hand through."),
        closings=("The council will revisit the budget in {month} when the first bids are opened.",
                  "Work on the northern piers is expected to take {few_months} months.",
                  "A citizens' committee will oversee how the money is spent."),
    ),
    Topic(  # an earthquake
        headlines=("Magnitude {mag} earthquake shakes coastal towns, no tsunami warning issued",
                   "Strong quake of magnitude {mag} rattles region, cracks roads and bridges"),
        leads=("An earthquake of magnitude {mag} struck off the coast near {place} early on {weekday}, "
               "shaking buildings for about {tens_seconds} seconds and cutting power to {hundreds_homes} "
               "homes.",
               "A magnitude {mag} earthquake rattled {place} and nearby towns on {weekday}, seismologists "
               "said, sending residents into the streets before dawn.",
               "Residents of {place} were jolted awake on {weekday} by a magnitude {mag} earthquake that "
               "knocked goods from shop shelves and set off car alarms across the city."),
        sentences=("The quake's center was about {tens_km} kilometers offshore at a depth of {few_depth} "
                   "kilometers, according to the national seismology office.",
                   "Officials said no tsunami warning had been issued but asked people to stay away from "
                   "beaches and harbor walls for the rest of the day.",
                   "{person}, a {role} at the civil protection agency, said {few_injured} people had been "
                   "treated for minor injuries, mostly cuts from broken glass.",
                   "Engineers were inspecting {few_bridges} bridges on the coastal highway after drivers "
                   "reported cracks in the road surface.",
                   "At least {tens_aftershocks} aftershocks were recorded in the first hours, the strongest "
                   "of magnitude {few_after}.{few_tenth}.",
                   "The region sits near the boundary of two tectonic plates and is shaken by a strong "
                   "quake every few years.",
                   "Hospitals moved some patients into tents in their parking lots while structural checks "
                   "were carried out.",
                   "Mobile phone networks were overloaded for about an hour as people tried to reach their "
                   "families."),
        closings=("Schools in the district will stay closed until the buildings have been checked.",
                  "Rail services along the coast resumed in the afternoon at reduced speed.",
                  "Seismologists warned that a stronger aftershock could not be ruled out."),
    ),
    Topic(  # a central bank
        headlines=("Central bank holds key rate at {rate} percent, signals cuts later this year",
                   "Central bank keeps rates steady at {rate} percent as inflation cools"),
        leads=("The central bank left its benchmark interest rate unchanged at {rate} percent on "
               "{weekday}, saying inflation had slowed but remained above its target.",
               "Policymakers kept borrowing costs at {rate} percent for a {ordinal} straight meeting on "
               "{weekday}, while hinting that cuts could come in the second half of the year.",
               "Holding its main rate at {rate} percent on {weekday}, the central bank said it needed more "
               "evidence that price rises were easing before lowering it."),
        sentences=("Consumer prices rose {few_cpi}.{few_cpi_tenth} percent in the year to {month}, down from "
                   "a peak of nearly {tens_peak} percent two years ago.",
                   "{person}, an economist at a large commercial bank, said markets had priced in "
                   "{few_cuts} cuts before the end of the year.",
                   "The decision was unanimous, the bank said, although two members had asked for softer "
                   "language on the path of future rates.",
                   "Mortgage lenders have already lowered some fixed rates in anticipation, and home sales "
                   "rose {few_sales} percent last month.",
                   "The currency weakened slightly against the dollar after the announcement.",
                   "Wage growth has stayed strong, which the bank sees as the main risk to its forecast.",
                   "Business groups had urged an immediate cut, saying high borrowing costs were holding "
                   "back investment in factories and equipment.",
                   "The bank raised its growth forecast for this year to {few_growth}.{few_growth_tenth} "
                   "percent."),
        closings=("The bank's next policy meeting is scheduled for {month}.",
                  "Minutes of the meeting will be published in {few_weeks} weeks.",
                  "Bond yields fell slightly after the statement was released."),
    ),
    Topic(  # a wildfire
        headlines=("Thousands ordered to evacuate as wildfire spreads across {thousands_acres} acres",
                   "Wind-driven wildfire forces evacuations, burns {tens_homes} homes",
                   "Wildfire forces thousands from their homes near {place}"),
        leads=("Authorities ordered about {thousands_people} residents to leave their homes on {weekday} "
               "as a wildfire driven by strong winds spread across dry hillsides east of {place}.",
               "A fast-moving wildfire had burned more than {thousands_acres} acres by {weekday} evening "
               "and destroyed at least {tens_homes} homes, fire officials said.",
               "Flames raced down a canyon toward the outskirts of {place} on {weekday}, forcing "
               "{thousands_people} people to flee as smoke turned the sky orange."),
        sentences=("More than {hundreds_crews} firefighters, backed by {few_helicopters} water-dropping "
                   "helicopters, were working to protect the edge of town.",
                   "The fire was {tens_contained} percent contained, according to the state forestry "
                   "department.",
                   "{person}, a {role} for the fire service, said gusts of up to {tens_wind} miles an hour "
                   "had carried embers across a highway.",
                   "Evacuation centers opened at {few_schools} schools, and volunteers brought food and "
                   "blankets for families who left with little more than their pets.",
                   "The cause of the fire was under investigation.",
                   "Months without rain have left grass and brush across the region as dry as paper.",
                   "Power was cut to {hundreds_homes_dark} homes to keep damaged lines from starting new "
                   "fires.",
                   "Two highways were closed, and police turned back drivers trying to return for their "
                   "belongings."),
        closings=("Forecasters expect the winds to ease by {weekday2}.",
                  "Air quality warnings remain in force across the county.",
                  "Residents will not be allowed home until power lines have been checked."),
    ),
    Topic(  # a launch
        headlines=("Rocket carrying {few_sats} weather satellites lifts off after two delays",
                   "Weather satellites reach orbit on {ordinal} launch attempt"),
        leads=("A rocket carrying {few_sats} weather satellites lifted off on {weekday} after two earlier "
               "attempts were called off because of high winds at the launch site.",
               "Mission controllers confirmed on {weekday} that all {few_sats} satellites launched from the "
               "coast had separated from the rocket's upper stage and were sending signals.",
               "On its {ordinal} attempt, a rocket lifted {few_sats} new weather satellites into orbit on "
               "{weekday}, ending a week of delays."),
        sentences=("The satellites will measure temperature and moisture in the upper atmosphere and "
                   "should improve forecasts of severe storms, the agency said.",
                   "{person}, the mission's {role}, said the spacecraft would spend {few_weeks} weeks "
                   "testing their instruments before data reached forecasters.",
                   "The launch was the {ordinal} this year from the site, which has been expanded to handle "
                   "more commercial flights.",
                   "The rocket's first stage landed on a barge about {hundreds_km} kilometers offshore.",
                   "The program has cost about ${hundreds_cost} million, including {few_years} years of "
                   "operations.",
                   "Each satellite is about the size of a washing machine and carries its own small "
                   "engine for changing orbit.",
                   "Crowds lined the beaches near the launch pad to watch the rocket climb through a "
                   "clear evening sky.",
                   "The older satellites they replace have worked for twice as long as they were designed "
                   "to."),
        closings=("A second batch of satellites is planned for launch next year.",
                  "The first images are expected to be released in {month}.",
                  "The agency will hold a news conference on {weekday2}."),
    ),
    Topic(  # an election
        headlines=("Opposition candidate leads as vote count nears end in runoff",
                   "Runoff election too close to call with {tens_counted} percent of ballots counted"),
        leads=("The opposition candidate held a narrow lead on {weekday} with {tens_counted} percent of "
               "ballots counted in a presidential runoff marked by high turnout.",
               "Election officials said on {weekday} that the count from {thousands_stations} polling "
               "stations was almost complete, with the candidates separated by fewer than "
               "{thousands_margin} votes.",
               "Both candidates claimed they were ahead on {weekday} as the count in a tight presidential "
               "runoff went on through the night."),
        sentences=("Turnout was about {tens_turnout} percent, the highest in more than a decade, according "
                   "to the electoral commission.",
                   "{person}, a {role} with an independent monitoring group, said voting had been largely "
                   "orderly despite long lines in the capital.",
                   "Supporters of both candidates gathered outside party headquarters, waving flags and "
                   "singing as results came in.",
                   "The losing side has {few_days} days to file challenges with the constitutional court.",
                   "The campaign centered on rising food prices and unemployment among young people.",
                   "Observers from neighboring countries said they had seen no sign of organized fraud.",
                   "Counting was slowest in rural districts, where ballots are carried by road to regional "
                   "centers.",
                   "The first round, held {few_weeks} weeks ago, left {few_candidates} other candidates "
                   "out of the race."),
        closings=("Final results are expected by {weekday2}.",
                  "The new president is due to take office in {month}.",
                  "Police have increased patrols around the electoral commission's offices."),
    ),
    Topic(  # a strike
        headlines=("Rail workers begin {few_days}-day strike over pay and staffing",
                   "Commuters face delays as rail strike halts most trains"),
        leads=("Rail workers walked off the job on {weekday} at the start of a {few_days}-day strike over "
               "pay and staffing, halting most passenger trains around {place}.",
               "Only {few_ran} in {tens_scheduled} scheduled trains ran on {weekday} as a strike by signal "
               "staff and conductors left commuters searching for buses and shared rides.",
               "Stations around {place} stood almost empty on {weekday} as rail staff began a "
               "{few_days}-day walkout."),
        sentences=("The union is seeking a raise of {few_raise} percent a year, while the operator has "
                   "offered less than half that.",
                   "{person}, a {role} for the union, said members had not received a real raise in "
                   "{few_years} years while their workload grew.",
                   "The rail operator said the strike would cost the economy about ${tens_cost} million a "
                   "day and urged the union to return to talks.",
                   "Freight services were also affected, and some factories warned of shortages of parts.",
                   "Road traffic into the city center was heavier than usual, with delays of up to "
                   "{tens_delay} minutes on main routes.",
                   "Many office workers stayed home, and some schools moved classes online for the week.",
                   "Picket lines formed outside the main depots before dawn, with workers warming their "
                   "hands over braziers.",
                   "It is the {ordinal} strike on the railways since last spring."),
        closings=("Mediators have invited both sides to meet on {weekday2}.",
                  "Another walkout is planned for {month} if no deal is reached.",
                  "Ticket holders can claim refunds online, the operator said."),
    ),
    Topic(  # a drug approval
        headlines=("Regulators approve new treatment for rare childhood illness",
                   "Health agency clears gene therapy for rare disease after trial results"),
        leads=("Health regulators on {weekday} approved a treatment for a rare inherited illness that "
               "affects about {hundreds_children} children a year, the first of its kind to reach patients.",
               "A new therapy for a rare childhood disease won approval on {weekday} after a trial in which "
               "most of the {tens_enrolled} patients showed lasting improvement.",
               "Children with a rare muscle-wasting disease will be able to receive a one-time gene "
               "therapy after regulators gave their approval on {weekday}."),
        sentences=("The one-time treatment is expected to cost more than ${few_price} million per patient, "
                   "raising questions about who will pay for it.",
                   "{person}, a {role} at a children's hospital that took part in the trial, called the "
                   "results remarkable.",
                   "Side effects in the trial were mostly mild, although {few_fever} patients needed a "
                   "hospital stay for fever.",
                   "The company said it would work with insurers on payment plans spread over {few_years} "
                   "years.",
                   "Patient groups welcomed the decision but urged regulators to speed up reviews of other "
                   "rare-disease drugs.",
                   "The therapy delivers a working copy of a faulty gene in a single infusion.",
                   "Parents who campaigned for the approval said their children could now walk further "
                   "and sleep through the night.",
                   "Doctors will follow the treated children for {tens_follow} years to check that the "
                   "benefit lasts."),
        closings=("The first patients could be treated within {few_months} months.",
                  "Regulators in Europe are expected to rule on the treatment later this year.",
                  "The company's shares rose sharply on the news."),
    ),
    Topic(  # a cup final
        headlines=("Underdogs win cup final in penalty shootout before {thousands_fans} fans",
                   "Late equalizer and shootout win give club its first cup title"),
        leads=("The visitors won their first cup title on {weekday}, beating the favorites "
               "on penalties after a {few_goals}-{few_goals} draw in front of {thousands_fans} fans.",
               "A goal in stoppage time forced extra time and the underdogs went on to win the cup final "
               "in a penalty shootout on {weekday}.",
               "{thousands_fans} fans saw the underdogs lift the cup on {weekday} after a final that "
               "went to penalties."),
        sentences=("Goalkeeper {person} saved two penalties and was named player of the match.",
                   "The favorites had dominated the first half and hit the post twice before taking the "
                   "lead just after the break.",
                   "Thousands of supporters gathered in the main square of {place} to watch the match on "
                   "a giant screen.",
                   "The club was playing in the third division only {few_years} years ago.",
                   "The winning coach said the title belonged to the fans who had followed the team "
                   "through its lean years.",
                   "A header from a defender who came on as a substitute tied the game in the "
                   "{tens_minute}th minute of added time.",
                   "The losing captain said his side had only themselves to blame for missed chances.",
                   "Ticket prices for the final had drawn complaints from both sets of supporters."),
        closings=("The team will be welcomed with a parade on {weekday2}.",
                  "The win earns the club a place in a continental competition next season.",
                  "The league season resumes next weekend."),
    ),
    Topic(  # returned artifacts
        headlines=("Museum returns {few_pieces} looted bronze sculptures to country of origin",
                   "Looted bronzes handed back in ceremony after more than a century abroad"),
        leads=("A museum returned {few_pieces} bronze sculptures on {weekday} that were taken by soldiers "
               "more than a century ago, in a ceremony attended by diplomats and community leaders.",
               "{few_pieces} bronze sculptures looted more than a century ago were handed back on "
               "{weekday}, ending years of negotiations.",
               "In a ceremony on {weekday}, curators packed {few_pieces} bronze sculptures for their "
               "journey home after more than a century in a foreign museum."),
        sentences=("The pieces had been displayed in the museum's main gallery since the 19{tens_decade}s.",
                   "{person}, a {role} at the museum, said returning the objects was the right thing to do "
                   "and would not be the last such step.",
                   "A new museum built to house the returned works is due to open in {month}.",
                   "Historians estimate that thousands of similar objects remain in collections abroad.",
                   "Some of the sculptures will be lent back to the museum for a joint exhibition.",
                   "Elders from the royal family performed a blessing before the crates were sealed.",
                   "The museum's board voted {vote} last year to begin the return.",
                   "Records show the bronzes were sold at auction in London before the museum bought "
                   "them."),
        closings=("Talks on the return of further objects are under way.",
                  "The ceremony ended with music and a procession through the old town.",
                  "The sculptures will go on display at home next year."),
    ),
    Topic(  # port congestion
        headlines=("Ships wait up to {few_days} days as port congestion worsens",
                   "Port backlog grows to {tens_ships} ships as exporters count costs",
                   "Exporters count the cost as delays at the port deepen"),
        leads=("More than {tens_ships} container ships were waiting to unload outside the port on "
               "{weekday}, the longest queue in years, as a shortage of cranes slowed work.",
               "Exporters warned on {weekday} that delays at the country's main port were costing them "
               "about ${tens_cost} million a week in missed deliveries.",
               "A queue of {tens_ships} cargo ships stretched along the coast off {place} on {weekday}, "
               "some of them waiting {few_days} days for a berth."),
        sentences=("The port authority blamed a storm that closed the harbor for {few_closed} days and a "
                   "breakdown of two of its largest cranes.",
                   "{person}, a {role} at a shipping company, said some lines had begun to skip the port "
                   "and unload at smaller harbors instead.",
                   "Freight rates on the route have risen by about {tens_rates} percent in a month.",
                   "Truck drivers said they waited up to {few_hours} hours at the gates to collect "
                   "containers.",
                   "The government has promised ${tens_cranes} million for new cranes, but they will not "
                   "arrive before next year.",
                   "Fruit growers said part of their harvest had spoiled in refrigerated containers on the "
                   "quay.",
                   "Dock workers agreed to extra night shifts to help clear the backlog.",
                   "Retailers have warned of empty shelves if the delays last into the holiday season."),
        closings=("The port plans to stay open around the clock until the backlog clears.",
                  "Shippers expect delays to last until {month}.",
                  "A parliamentary committee will question port managers on {weekday2}."),
    ),
    Topic(  # a data breach
        headlines=("Software maker says hackers stole data of {thousands_customers} customers",
                   "Data breach at software firm exposes customer records"),
        leads=("A software company said on {weekday} that hackers had stolen names, email addresses and "
               "some payment details of about {thousands_customers} customers in an attack discovered "
               "last week.",
               "Customers of a business software maker were warned on {weekday} to change their "
               "passwords after the company disclosed a breach of its support systems.",
               "A business software maker based in {place} disclosed on {weekday} that intruders had "
               "copied records of {thousands_customers} customers."),
        sentences=("The company said the attackers got in through an account belonging to an outside "
                   "contractor and were inside its network for about {few_days} days.",
                   "{person}, the company's {role}, apologized and said it had hired outside experts to "
                   "investigate.",
                   "Shares in the company fell {few_fall} percent in early trading.",
                   "Regulators have been informed and the company faces possible fines under data "
                   "protection law.",
                   "Security researchers said the stolen data had not yet appeared for sale online.",
                   "The breach was noticed when an engineer saw unusual downloads late at night.",
                   "Banks said they were watching for fraud on the affected cards.",
                   "It is the {ordinal} breach disclosed by a large software firm this year."),
        closings=("Affected customers will be offered {few_years} years of free credit monitoring.",
                  "The company said its products themselves had not been compromised.",
                  "A full report on the attack is promised by {month}."),
    ),
)


@dataclass(frozen=True)
class Text:
    headline: str
    #: the topic's other headline, with the same facts: what a partner site prints over a copy
    other_headline: str
    paragraphs: tuple[str, ...]


def story_text(number: int, city: str, when: dt.datetime) -> Text:
    """The text of story ``number``, datelined ``city`` (its name first) on ``when``."""
    rng = random.Random(number * 7919 + 17)
    topic = TOPICS[number % len(TOPICS)]
    slots = _Slots(rng, city.split(",")[0].title(), when)
    picked = rng.sample(topic.sentences, 4)
    lead = rng.choice(topic.leads)
    paragraphs = (lead, picked[0], picked[1] + " " + picked[2], picked[3], rng.choice(topic.closings))
    told = _slot_names(lead) | set(slots)  # a headline tells only what the lead tells
    headline = rng.choice([h for h in topic.headlines if _slot_names(h) <= told])
    other = topic.headlines[(topic.headlines.index(headline) + 1) % len(topic.headlines)]
    return Text(headline.format_map(slots), other.format_map(slots),
                tuple(paragraph.format_map(slots) for paragraph in paragraphs))


def _slot_names(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


class _Slots(dict):
    """A story's slot values, each drawn when first asked for and the same ever after."""

    def __init__(self, rng: random.Random, place: str, when: dt.datetime) -> None:
        super().__init__(place=place, weekday=WEEKDAYS[when.weekday()],
                         weekday2=WEEKDAYS[(when.weekday() + rng.randint(1, 4)) % 7],
                         month=MONTHS[(when.month + rng.randint(0, 5)) % 12])
        self.rng = rng

    def __missing__(self, key: str) -> str:
        rng = self.rng
        kinds = {
            "few": lambda: str(rng.randint(2, 9)),
            "tens": lambda: str(rng.randint(11, 95)),
            "hundreds": lambda: str(rng.randint(120, 980)),
            "thousands": lambda: f"{rng.randint(1200, 9800):,}",
            "person": lambda: f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "role": lambda: rng.choice(ROLES),
            "ordinal": lambda: rng.choice(ORDINALS),
            "mag": lambda: f"{rng.randint(5, 7)}.{rng.randint(0, 9)}",
            "rate": lambda: f"{rng.randint(2, 5)}.{rng.choice(('0', '25', '5', '75'))}",
            "vote": lambda: f"{rng.randint(5, 7)}-{rng.randint(2, 4)}",
        }
        value = kinds[key.split("_")[0]]()
        self[key] = value
        return value
