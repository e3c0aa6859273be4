"""The reader's word lists as data: abbreviations, filler, and the operator words of the keyword grammar."""

from __future__ import annotations

# how admins abbreviate and misspell the words the reader knows (one word to its spelled-out form)
ABBREVIATIONS: dict[str, str] = {
    "ppl": "people", "ppls": "people", "peeps": "people", "wk": "week", "wks": "weeks", "wkly": "weekly",
    "mo": "month", "mos": "months", "mth": "month", "yr": "year", "pct": "percent", "%": "percent",
    "w/": "with", "w/o": "without", "wo/": "without", "whos": "who is", "who's": "who is", "thru": "through",
    "pls": "", "plz": "", "please": "", "thx": "", "u": "you", "avg": "average", "num": "number",
    "#": "number", "b/w": "between", "rn": "right now", "hasnt": "has not", "havent": "have not",
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "whats": "what is", "hows": "how is", "thats": "that is",
    "mnay": "many", "manny": "many", "wich": "which", "whcih": "which", "whihc": "which", "hw": "how",
    "teh": "the", "q": "", "qq": "", "btw": "", "fyi": "", "lol": "", "tbh": "", "imo": "", "asap": "",
    "r": "are", "ur": "your", "incl": "including", "fwiw": "", "iirc": "", "afaik": "", "lmk": "",
    "approx": "approximately", "acc": "acceptance", "accs": "acceptances", "lemme": "let me",
    "yday": "yesterday", "yest": "yesterday", "tmrw": "tomorrow", "holds": "has",
    "hold": "has", "holding": "having", "held": "had",
    "licenses": "licences", "license": "licence", "utilization": "utilisation", "utilized": "used",
    "usrs": "users", "usr": "user", "btwn": "between", "betwn": "between", "btw/": "between",
    "ovr": "over", "abt": "about", "frm": "from", "gens": "generations", "gen": "generation",
    "n": "and", "&": "and", "diff": "difference", "prs": "prs", "loc": "loc", "vs.": "vs", "versus": "vs", "ide's": "ides", "teams'": "teams",
}

# words that carry no content: they never block an answer (wh-words and operators are listed separately)
FILLER: frozenset[str] = frozenset(
    """a an the of is are was were be been being do does did doing has have had our we us you your i me my
    they their them it its that this these those to for in on at by with from as into about any some
    copilot github please actually really so hey hi ok okay just currently now right these days lately
    can could would will tell give get got know see need quick quickly pull up
    there here then also yet still even same thing things stuff kind sort overall total totals all
    happen happened and far data figure figures number numbers count counts exactly roughly
    approximately basically literally anyway folks' team's people's themselves yourself myself asked
    ask asking requested request report reports export exports single anywhere
    distribution breakdown split splits across spread metrics api endpoint came come comes coming plain each
    own among amongst anywhere loaded his her hers him he she whose recorded distinct unique receive received
    receives having went goes""".split()
)
# hedges and focus adverbs: they stress or soften what is asked, never narrow it ('the rate of completions
# specifically', 'python in particular'); 'just' and 'only' are not here (they narrow: exclusivity); and an ordering
# named without its direction ('sorted highest first' says the direction elsewhere)
HEDGES: frozenset[str] = frozenset(
    "specifically particularly precisely notably namely essentially altogether whatsoever sorted ordered generally "
    "ballpark".split()
)
FILLER = FILLER | HEDGES

# the window a team habitually reports on, named as such: 'the usual 28-day reporting window', ', which is the window
# we normally report on'. With its length it is the last N days; as an aside after a window it restates that window;
# with neither ('the usual window') it names nothing the reader can place, and is refused.
HABITUAL: tuple[str, ...] = ("usual", "normal", "standard", "regular", "typical", "default", "customary", "agreed")
HABITUALLY: tuple[str, ...] = ("normally", "usually", "typically", "always", "generally", "regularly", "customarily")
WINDOW_NOUNS: tuple[str, ...] = ("window", "period", "range", "timeframe", "time frame", "span")

# Relation verbs: they only link a measure to its subject ('what acceptance rate did nzhang achieve', 'which feature
# produced the most lines added', 'which model was chosen most often, by prompts', 'counted by active days'): the
# measure and the subject carry the meaning, so with a measure named they are dropped. With no measure named, or
# with a number right after them ('users who achieved 50 acceptances': a threshold), they block. Verbs of a change
# of state (start, stop, join, switch, return) are never here: they change the answer.
RELATION_VERBS: frozenset[str] = frozenset(
    """achieve achieved achieves achieving attain attained produce produced produces producing chosen chose choose
    chooses selected typed typing counted counting tallied totalled totaled contributed contribute contributes yielded
    delivered registered racked earned saw make makes made making send sends sending consume consumed consumes
    consuming burn burned burnt burns""".split()
)
# relation verbs of more than one word: rewritten to one before reading ('account for', 'amount to')
RELATION_PHRASES: dict[str, str] = {
    "account for": "counted", "accounts for": "counted", "accounted for": "counted", "amount to": "counted",
    "amounted to": "counted", "amounts to": "counted", "rack up": "racked", "racked up": "racked",
    "counted by": "by", "as counted by": "by", "counting by": "by", "ranked by": "by", "ranking by": "by",
    "counting the number of": "by the number of", "counting the count of": "by the number of",
}

# phrases that only restate the shape or point back at what was named: rewritten before reading
# ('raj and nina side by side', 'completions alone', 'measured by lines', 'how many did each one get')
PLAIN_PHRASES: dict[str, str] = {
    "side by side": "", "side-by-side": "", "next to each other": "", "alone": "only", "by itself": "only",
    "as well as": "and also", "would like to": "", "would like": "", "calendar month": "month",
    # ... but 'the last calendar week' is a window of its own: the Monday-Sunday week before this one
    "last calendar week": "last full week", "previous calendar week": "previous full week",
    "prior calendar week": "prior full week",
    "calendar months": "months", "calendar week": "week", "calendar weeks": "weeks",
    "monday-to-sunday week": "week", "monday-to-sunday weeks": "weeks", "monday to sunday week": "week",
    "monday to sunday weeks": "weeks", "mon-sun week": "week", "mon-sun weeks": "weeks",
    "if there are any": "", "if you can": "", "if you could": "", "if possible": "", "when you get a chance": "",
    "when you have a moment": "", "when you get a moment": "", "if there were any": "", "if there is any": "",
    "if there any": "", "if any": "",
    "distinct people": "people", "unique people": "people", "distinct users": "users", "unique users": "users",
    "on its own": "only", "measured by": "by", "judged by": "by", "as judged by": "by", "measured in": "by",
    "in terms of": "by", "as measured by": "by",
    # an ordering said with its direction: every one listed in that order ('oldest first'), not the top one
    "oldest first": "sortasc", "newest first": "sortdesc", "most recent first": "sortdesc",
    "earliest first": "sortasc", "latest first": "sortdesc",
    "best first": "sortdesc", "worst first": "sortasc", "highest first": "sortdesc", "lowest first": "sortasc",
    "largest first": "sortdesc", "biggest first": "sortdesc", "smallest first": "sortasc", "most first": "sortdesc",
    "fewest first": "sortasc", "least first": "sortasc", "top first": "sortdesc",
    # how often something is the top one is a ranking by it: 'the model chosen most often, by prompts'
    "most often": "most", "most frequently": "most", "least often": "least", "least frequently": "least",
    # a hedge of two words: 'acceptance for python in particular', 'in general', 'give or take'
    "in particular": "", "in general": "", "to be exact": "", "to be precise": "", "give or take": "",
    "roughly speaking": "", "generally speaking": "",
    # 'what did the dau look like in october': what it was
    "look like": "", "looked like": "", "looks like": "",
    # a total said in other words: 'the grand total of prompts', 'acceptances all told', 'rate across the board'
    "grand total": "total", "all told": "", "across the board": "",
    "all in all": "",
    # existence at some time is existence at any time: 'used neovim at some point (during october)'
    "at some point": "at any point", "at some stage": "at any stage", "at some time": "at any time",
    "ordered by": "", "sorted by": "", "in order of": "",
    "calendar day": "day", "calendar days": "days",
    # provisional said with the verb that judges it: 'still considered provisional', 'marked as provisional'
    "considered provisional": "provisional", "deemed provisional": "provisional", "marked provisional": "provisional",
    "marked as provisional": "provisional", "flagged as provisional": "provisional",
    "treated as provisional": "provisional", "regarded as provisional": "provisional",
    # the data's rows named as rows: 'days with no usage rows', 'no rows at all'
    "usage rows": "usage", "user rows": "usage", "rows of usage": "usage", "rows of data": "data", "data rows": "data",
    "no rows": "no data",
    # a concession is a conjunction: 'accepted nothing, although they were active'
    "although": "but", "even though": "but", "despite being": "but",
    # the per-user data named by its grain: 'the user-level data', 'per-user data'
    "user-level data": "user data", "user level data": "user data", "per-user data": "user data",
    "per user data": "user data",
    # a pending change named by its verb: 'seats pending cancel', 'pending removal'
    "pending cancel": "pending cancellation", "pending cancels": "pending cancellation",
    "pending removal": "pending cancellation", "pending revocation": "pending cancellation",
    # 'the days on which X was active': a relative clause, not a question ('which')
    "days on which": "days that", "day on which": "day that", "days during which": "days that",
    "days in which": "days that",
    "calendar year": "year",

    # holding a seat: 'how many people hold a copilot seat', 'developers who have a licence'
    **{f"{v} {a}{c}{n}": "are seat holders" for v in ("hold", "have", "own") for a in ("a ", "") for c in ("copilot ", "")
       for n in ("seat", "seats", "license", "licence", "licenses", "licences") if a or n.endswith("s")},
    **{f"{v} {a}{c}{n}": "seat holders" for v in ("holding", "with") for a in ("a ", "")
       for c in ("copilot ", "") for n in ("seat", "license", "licence")},
    # the time of something asked beside a list: 'together with the date on which each cancellation takes effect'
    "the date on which": "when", "the date when": "when", "the time at which": "when", "the date that": "when",

    # the source named as the one who reports: 'as reported by github', "per github's own totals"
    "as reported by github": "github", "reported by github": "github", "per github": "github",
    "per github's": "github's", "as given by github": "github", "given by github": "github",
    "according to github's own": "github's", "according to github's": "github's", "according to github": "github",
    "github's own": "github's", "github's aggregate": "github's", "github's official": "github's",
    "according to the": "in the", "according to": "in",
    # the source named as the place a figure is reported in: 'as reported in the aggregate data'
    "as reported in": "in", "reported in": "in", "as recorded in": "in", "as given in": "in", "as listed in": "in",
    "as stated in": "in", "as it appears in": "in", "as they appear in": "in", "going by": "",
    # the window (or scope) looked at, said as where one looks: 'looking only at the last 28 days, how many ...'
    "looking only at": "in", "looking just at": "in", "looking at": "in", "focusing only on": "in",
    "focusing just on": "in", "focusing on": "in",
    # ... or as the matter the question is about ('considering code completions only, ...', 'with respect to python')
    "considering only": "in", "considering just": "in", "considering": "in", "regarding": "in", "concerning": "in",
    "with respect to": "in", "with regard to": "in", "in relation to": "in", "when it comes to": "in",
    "limited to": "in", "restricted to": "in", "confined to": "in",
    # ... or as the one that reports ('as reported by the enterprise report', 'as shown by the seat report')
    "as reported by the": "in the", "reported by the": "in the", "as shown by the": "in the",
    "as recorded by the": "in the", "as given by the": "in the", "as listed by the": "in the",
    # the moment of the last activity, said as a time: 'which editor was X using at the time of their last activity'
    "at the time of their last activity": "last activity", "at the time of the last activity": "last activity",
    "at the time of his last activity": "last activity", "at the time of her last activity": "last activity",
    "at the time of its last activity": "last activity",
    # ... or as what the figures rest on ('based on the enterprise report', 'per the aggregate report')
    "based on the": "in the", "going by the": "in the", "judging by the": "in the", "per the": "in the",
    "enterprise-level": "enterprise", "enterprise level": "enterprise",
    # GitHub's aggregate report named by its scope: 'the organization report', "the org's own totals"
    **{f"{scope} {noun}": "aggregate" for scope in ("organization", "organisation", "org", "organization-level",
                                                    "org-level", "enterprise", "summary")
       for noun in ("report", "reports", "totals", "figures", "numbers", "summary", "export")},
    # the seat activity report named as the source: its rows, not a condition of activity on the seats
    "seat activity report": "seatactivity", "seat activity reports": "seatactivity",
    "seat activity export": "seatactivity", "seat activity data": "seatactivity", "seat activity csv": "seatactivity",
    # what became of something, said as a result: 'ended up merged', 'went on to be merged'
    "ended up": "", "end up": "", "ends up": "", "ending up": "", "went on to be": "", "go on to be": "",
    # a day taken as typical: the average over the days of that day's figure ('on an average day, how many ...')
    "on an average day": "avgday", "on the average day": "avgday", "on a typical day": "avgday",
    "on a normal day": "avgday", "on a usual day": "avgday", "on any given day": "avgday",
    "in an average day": "avgday", "in a typical day": "avgday", "on an ordinary day": "avgday",
    "on average per day": "avgday", "per day on average": "avgday", "on average each day": "avgday",
    "each day on average": "avgday", "on average on any day": "avgday", "on a given day": "avgday",
    "each one": "each", "each of them": "each", "each of those": "each", "each of these": "each",
}
# an ordering said as the range it runs over ('ranked from highest to lowest', 'in descending order'): every one
# listed in that order, as 'highest first' (a ranking's own size, 'the three models with the most', is kept)
_ORDER_ENDS = (("highest", "lowest"), ("most", "least"), ("most", "fewest"), ("largest", "smallest"),
               ("biggest", "smallest"), ("top", "bottom"), ("best", "worst"))
for _how in ("", "ranked ", "sorted ", "ordered ", "listed ", "ranking ", "sorting ", "ordering "):
    for _hi, _lo in _ORDER_ENDS:
        for _from in ("from ", ""):
            PLAIN_PHRASES[f"{_how}{_from}{_hi} to {_lo}"] = "sortdesc"
            PLAIN_PHRASES[f"{_how}{_from}{_lo} to {_hi}"] = "sortasc"
    PLAIN_PHRASES[f"{_how}in descending order"] = "sortdesc"
    PLAIN_PHRASES[f"{_how}in ascending order"] = "sortasc"
# figures asked for one by one ('for typescript and for python, separately', 'shown as two separate totals'): how the
# answer already gives two values or two measures (reader.measure.compose keeps it only beside two of them)
for _how in ("", "shown ", "given ", "listed ", "reported ", "broken out ", "returned ", "presented "):
    PLAIN_PHRASES[f"{_how}separately"] = "apart"
    PLAIN_PHRASES[f"{_how}individually"] = "apart"
    for _n in ("", "two ", "2 ", "three ", "3 "):
        for _noun in ("totals", "numbers", "figures", "values", "counts", "columns", "results", "amounts"):
            PLAIN_PHRASES[f"{_how}as {_n}separate {_noun}"] = "apart"
            PLAIN_PHRASES[f"{_how}in {_n}separate {_noun}"] = "apart"
del _how, _hi, _lo, _from, _n, _noun

# 'never appear in the usage data': no row in the per-user data (GitHub's own last activity aside)
APPEAR: frozenset[str] = frozenset({"appear", "appears", "appeared", "show up", "shows up", "showed up", "turn up",
                                    "turns up"})
USE_WORDS: frozenset[str] = frozenset(
    "use used uses using usage active actively activity tried touched touch touching wrote writing write sent try "
    "trying".split()
) | APPEAR
NEGATIONS: frozenset[str] = frozenset("never not no without neither nor zero none nobody noone".split())
# "or" and "either" ask for a union, which the reader does not compose: a rule that sees them declines
SET_WORDS: frozenset[str] = frozenset("both also either or only but except".split())
# 'anyone ever use both ...?': an existence question, answered with the people (none is an empty list)
EXISTENCE: frozenset[str] = frozenset("anyone anybody someone somebody".split())
COVERAGE_WORDS: frozenset[str] = frozenset(
    "provisional missing gap gaps range cover covers covered coverage span spans earliest latest".split()
)
WRITE_VERBS: frozenset[str] = frozenset(
    "revoke delete remove unassign deactivate disable cancel reassign grant assign add email notify "
    "reclaim suspend ban kick".split()
)
# the people of a roster by their everyday names: 'how many folks are on each team' asks for its members
MEMBER_WORDS: tuple[str, ...] = ("members", "member", "people", "folks", "engineers", "developers", "devs")
# verbs of taking part: beside a passive flag ('auto-reviewed without engaging'), the flag's active side
ENGAGE_WORDS: frozenset[str] = frozenset("engage engages engaging engaged interact interacts interacting "
                                         "interacted".split())
# ... and the word for the passive side, beside the active flag ('code review users: active vs passive')
PASSIVE_WORDS: frozenset[str] = frozenset({"passive", "passively"})
REPOSITORY_WORDS: frozenset[str] = frozenset("repo repos repository repositories codebase codebases".split())
# verbs that say which lines a bare 'lines' counts ('how many lines did copilot suggest', 'lines nzhang deleted');
# a suggestion's own direction after it ('suggest adding', 'propose to add') restates loc_suggested (lines to add)
LINE_VERBS: dict[str, str] = {
    **dict.fromkeys("suggest suggests suggested suggesting propose proposes proposed proposing".split(), "loc_suggested"),
    **dict.fromkeys("add adds added adding write writes wrote written writing".split(), "loc_added"),
    **dict.fromkeys("delete deletes deleted deleting remove removes removed removing".split(), "loc_deleted"),
}
# the words for a share's parts, in a clause that asks for them after the share ('what share of prompts came from agent
# mode? please give the agent-mode count, the overall total and the ratio'): the answer shows part, whole and ratio
SHARE_PART_WORDS: frozenset[str] = frozenset(
    "ratio ratios fraction share percentage percent proportion rate part parts whole".split()) | frozenset(
    # ... the two numbers it is made of, and the words that only ask for them ('please include both counts
    # alongside the ratio')
    "both counts numbers figures values totals include includes including alongside beside besides".split())
# pronouns that point back at a person named earlier in the same question ('how many prompts did elena send in
# october, and how many did she send in november'); 'they' and 'them' only when no group of people is named
PRONOUNS: frozenset[str] = frozenset("she he her him hers his".split())
PLURAL_PRONOUNS: frozenset[str] = frozenset("they them their".split())
UNITS: dict[str, int] = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
}
WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# a day Monday to Friday, as a noun ('on each weekday of last week'); plural, the weekday restriction's own words
WORKING_DAY: tuple[str, ...] = ("weekday", "week day", "working day", "workday", "business day")
WEEKDAY_ABBREVIATIONS: dict[str, str] = {
    "mon": "monday", "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "thu": "thursday",
    "thur": "thursday", "thurs": "thursday", "fri": "friday", "sat": "saturday", "sun": "sunday",
}
# words meaning "over all the loaded data" instead of the default window
ALL_TIME: frozenset[str] = frozenset({"ever", "all time", "alltime", "so far", "to date", "since the start",
                                     "whole dataset", "entire dataset", "full dataset", "whole data set",
                                     "all the data", "all data", "the whole period", "in the usage data",
                                     "since records began", "since we started",
                                     "since the data begins", "since the data began", "since the data starts",
                                     "since the data started", "since the beginning of the data",
                                     "at any point", "at any time", "at any stage", "any point in time"})
# words that end a window at the latest loaded day ('so far in november', 'october to date', 'this year thus far'):
# beside a named window they say no more than it (windows stop at the data's last day already); alone they are all
# the data ('to date', in ALL_TIME)
TO_DATE: tuple[str, ...] = ("so far", "to date", "thus far", "up to now", "until now", "till now", "up till now",
                            "up until now", "as of now", "as of today", "up to today", "until today")
# the whole of the data named as a place ('across the whole company', 'for the entire org'): no narrowing; the
# organisation's own words only with 'whole'/'entire' ('across the enterprise' may ask for GitHub's own figures)
COMPANY_NOUNS: tuple[str, ...] = ("company", "business", "firm")
WHOLE_ORG_NOUNS: tuple[str, ...] = ("org", "organization", "organisation", "enterprise", "workforce")
# ... and the organization in the singular, after 'across' or 'throughout' ('used in total across the organization'):
# the whole too (the enterprise is left out: it may ask for GitHub's own figures)
ACROSS_ORG_NOUNS: tuple[str, ...] = ("org", "organization", "organisation")
# the plural nouns of the dimensions whose values are listed in the data: 'all five teams' is all of them when there
# are five (any other number is left to refuse)
VALUE_PLURALS: dict[str, str] = {"teams": "team", "languages": "language", "models": "model", "ides": "ide",
                                 "editors": "ide", "features": "feature", "organizations": "organization",
                                 "organisations": "organization", "orgs": "organization"}
# a measure's own parts, named as what it adds up ('tokens ..., prompt and output tokens together'): said beside the
# measure they restate it; said alone they name it
MEASURE_PARTS: tuple[str, ...] = ("prompt and output tokens", "input and output tokens", "output and prompt tokens",
                                  "output and input tokens", "prompt plus output tokens", "prompt + output tokens")
TOGETHER: tuple[str, ...] = ("together", "combined", "added together", "added up", "summed", "in total", "both")
# nouns that name the periods compared, restated ('both months and the difference')
PERIOD_NOUNS: frozenset[str] = frozenset("days weeks months halves quarters years periods windows dates".split())
# words that leave values out of a breakdown ('leaving out the unknown and others buckets, which language ...'),
# rewritten to 'excluding' before reading; 'except' is a set word and is not here
EXCLUDING: tuple[str, ...] = ("leaving out", "leave out", "not counting", "excluding", "exclude", "apart from",
                              "aside from", "setting aside", "ignoring", "omitting")
# nouns after left-out values that only say they are values ('the unknown and others buckets')
VALUE_NOUNS: frozenset[str] = frozenset("bucket buckets value values category categories entries ones groups".split())
# shape words, by the answer shape they ask for
SHAPES: dict[str, str] = {
    "how many": "count", "number of": "count", "count of": "count", "which": "list", "who": "list",
    "list": "list", "show": "list", "name": "list", "names": "list", "what share": "share",
    "what percent": "share", "what fraction": "share", "fraction": "share", "share": "share",
    "percent": "share", "percentage": "share", "proportion": "share",
    "how much of": "share", "when": "when", "what": "what",
}
# ranking words: the direction they rank in (a measure's top or bottom)
TOPS: dict[str, str] = {
    "most": "desc", "top": "desc", "highest": "desc", "biggest": "desc", "largest": "desc", "busiest": "desc",
    "heaviest": "desc", "popular": "desc", "favorite": "desc", "favourite": "desc", "preferred": "desc",
    "prefer": "desc", "pick": "desc", "go-to": "desc", "leading": "desc", "max": "desc", "maximum": "desc",
    "least": "asc", "fewest": "asc", "lowest": "asc", "smallest": "asc", "bottom": "asc", "quietest": "asc",
    "min": "asc", "minimum": "asc", "best": "desc", "worst": "asc", "weakest": "asc", "poorest": "asc",
    "strongest": "desc", "greatest": "desc", "leaderboard": "desc", "peak": "desc",
}
# superlatives that judge people ('the best engineer') unless a measure says what is ranked
JUDGEMENTS: frozenset[str] = frozenset({"best", "worst", "weakest", "poorest", "strongest", "greatest"})
ORDINALS: dict[str, int] = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                            "ninth": 9, "tenth": 10}
# "how many more X than Y": a difference of two measures
DIFFERENCES: dict[str, str] = {"how many more": "more", "how much more": "more", "how many fewer": "fewer",
                               "how many less": "fewer", "how much less": "fewer", "than": "than",
                               "difference between": "between", "gap between": "between",
                               "difference": "between", "minus": "minus"}
# verbs that, right after a measure, only restate it: 'cli requests made', 'suggestions generated'
RESTATING_VERBS: frozenset[str] = frozenset(
    "made shown show shows showed offered generated produced given received recorded logged submitted issued opened "
    "started run launched initiated created start starts open opens launch launches initiate initiates".split())
# how a by-team figure counts someone on several teams: the roster is joined day by day, so each of their teams
# counts them; said again next to a by-team breakdown ('with users on two teams counted in both') it only restates
# that ('counted once', 'split between them' ask for something else and stay unknown)
COUNTED_IN_EACH_TEAM: tuple[str, ...] = (
    "counted in both", "counted in each", "counted for both", "counted for each", "counted under both",
    "counted under each", "counted in all of them", "counted in each of them", "counted in both of them",
    "counted twice", "included in both", "included in each", "counted in every one", "counted on both",
    "counted on each", "counting in both", "counting for both", "counting in each", "counting for each")
# 'higher in november than in october': a comparative, which with two periods asks for the change
# ('better' and 'worse' are left out: one typo from 'worst', a ranking word)
COMPARATIVES: dict[str, str] = {"higher": "more", "bigger": "more", "greater": "more", "larger": "more",
                                "more": "more", "lower": "fewer", "smaller": "fewer", "fewer": "fewer", "less": "fewer"}
AVERAGES: frozenset[str] = frozenset({"average", "mean", "typical", "per", "median"})
# "the week before": the period just before the one named
BEFORE: dict[str, str] = {"the day before": "day", "the previous day": "day", "the prior day": "day",
                          "the week before": "week", "the previous week": "week", "the prior week": "week",
                          "the month before": "month", "the previous month": "month", "the prior month": "month"}
# 'the same period last year', 'the same month a year earlier': the window named, moved back by a year (a month)
SAME_SPANS: tuple[str, ...] = ("period", "window", "time frame", "timeframe", "time", "span", "stretch", "range", "dates",
                               "days", "day", "week", "weeks", "month", "months", "quarter")
RANKS: dict[str, str] = {"newest": "desc", "latest": "desc", "most recent": "desc", "recent": "desc",
                         "oldest": "asc", "earliest": "asc"}
COMPARISONS: dict[str, str] = {"more than": ">", "over": ">", "older than": ">", "at least": ">=",
                               "less than": "<", "under": "<", "fewer than": "<", "within": "<"}
CHANGE_WORDS: frozenset[str] = frozenset(
    "drop dropped drops grow grew grown grows rise rose risen rises fall fell fallen falls increase increased "
    "increases decrease decreased decreases decline declined declines change changed changes evolve evolved evolves "
    "develop developed develops".split()
) | frozenset({"go up", "go down", "went up", "went down", "gone up", "gone down", "going up", "going down"})
# the weekday sets windows.find_windows names, as conditions on the day (DuckDB dayofweek: 0 is Sunday)
WEEKDAY_SETS: dict[str, str] = {"weekdays": "NOT IN (0, 6)", "weekends": "IN (0, 6)", "weekend": "IN (0, 6)"}
# operator and slot words of the keyword grammar: (token kind, value)
OPERATORS: dict[str, tuple[str, str]] = {
    "first": ("first", "min"), "last": ("first", "max"), "first time": ("first", "min"),
    "last time": ("first", "max"), "move": ("first", "min"), "moved": ("first", "min"), "join": ("first", "min"),
    "joined": ("first", "min"), "switched": ("first", "min"),
    "roster": ("entity", "user"), "rosters": ("entity", "user"), "team list": ("entity", "user"),
    "aggregate": ("entity", "enterprise"), "daycov": ("entity", "day"), "member": ("entity", "user"),
    "vs": ("vs", "vs"), "versus": ("vs", "vs"), "compared to": ("vs", "vs"), "compared with": ("vs", "vs"),
    "sortasc": ("sort", "asc"), "sortdesc": ("sort", "desc"),  # PLAIN_PHRASES: 'oldest first'
    "apart": ("apart", "apart"),  # PLAIN_PHRASES: 'separately', 'as two separate totals'
    "most recent": ("rank", "desc"), "most recently": ("rank", "desc"), "least recently": ("rank", "asc"),
    "ago": ("ago", "ago"),
    "avgday": ("avg", "day"),  # PLAIN_PHRASES: 'on an average day', 'on a typical day
    "seat utilisation": ("metric", "seat_utilisation"), "utilisation": ("metric", "seat_utilisation"),
    "break down": ("filler", ""), "broken down": ("filler", ""), "split up": ("filler", ""),
    "as a": ("filler", ""), "as an": ("filler", ""),
    "as well as": ("filler", ""), "along with": ("filler", ""), "together with": ("filler", ""),  # 'X as well as Y'
    "alongside": ("filler", ""),
    "of every": ("filler", ""), "out of every": ("filler", ""), "out of all": ("filler", ""),  # 'of every prompt
    "chat mode": ("dim", "chat_mode"), "chat modes": ("dim", "chat_mode"), "mode": ("dim", "chat_mode"),
    "modes": ("dim", "chat_mode"),
    "weekly": ("period", "week"), "monthly": ("period", "month"), "week over week": ("period", "week"),
    "month over month": ("period", "month"), "trend": ("period", "trend"), "over time": ("period", "trend"),
    "day by day": ("period", "day"), "week by week": ("period", "week"),
    "copilot access": ("entity", "seat"), "access": ("entity", "seat"), "inactive": ("inactive", "inactive"),
    "legacy": ("legacy", "legacy"), "old api": ("legacy", "legacy"), "old metrics api": ("legacy", "legacy"),
    "ai adoption phases": ("dim", "phase"), "ai adoption phase": ("dim", "phase"),
    "adoption phases": ("dim", "phase"), "adoption stage": ("dim", "phase"), "adoption stages": ("dim", "phase"),
    "more than just": ("set", "more than just"), "up or down": ("change", "up or down"),
    "down or up": ("change", "up or down"), "go up or down": ("change", "up or down"),
    "other than": ("set", "other than"),
    "including inactive": ("inactive_too", "inactive_too"),  # see tokens._INACTIVE_TOO: a roster's rule only
    "every": ("every", "every"),  # its own word (never corrected to 'ever'): no rule places it unless named
    "right now": ("now", "now"), "currently": ("now", "now"), "today": ("now", "now"),
    "as of the latest day": ("now", "now"), "current": ("now", "now"),
    "compare": ("vs", "vs"), "comparing": ("vs", "vs"),  # 'compare X in A with B': A vs B
    # a window already named, pointed back at: 'active in october without cli use that month'
    "that month": ("filler", ""), "that week": ("filler", ""), "that day": ("filler", ""),
    "that same month": ("filler", ""), "the same month": ("filler", ""), "if any": ("filler", ""),
    "if so": ("filler", ""),
    "by how much": ("filler", ""),
    "whetherornot": ("inclusive", "all"),  # tokens._INCLUSIVE: a roster, whether or not its people used Copilot
    "hasever": ("present", ""),  # tokens._EXCLUDE_NEVER: the attribute after it is set (never-set ones left out)
    "belong to": ("filler", ""), "belongs to": ("filler", ""), "belonging to": ("filler", ""),
    "belonged to": ("filler", ""),
    # a source named for what it says: 'according to the seat list', 'as per the seat report'
    "seatactivity": ("entity", "seat_activity"),  # PLAIN_PHRASES: 'the seat activity report'
    "according to": ("filler", ""), "as per": ("filler", ""), "as shown in": ("filler", ""),
    "onlythat": ("set", "only that"),  # 'X and nothing else': only the X just named
    "that time": ("filler", ""), "in that time": ("filler", ""), "during that time": ("filler", ""),
    "that period": ("filler", ""), "during that period": ("filler", ""), "in that period": ("filler", ""),
    "the same period": ("filler", ""), "that same period": ("filler", ""), "that window": ("filler", ""),
    "during that window": ("filler", ""), "in that window": ("filler", ""), "over that period": ("filler", ""),
    # turning up in the data is being active in it
    "shows up": ("use", "appears"), "show up": ("use", "appears"), "showed up": ("use", "appears"),
    "turns up": ("use", "appears"), "turned up": ("use", "appears"), "appears": ("use", "appears"),
    "appeared": ("use", "appears"), "appear": ("use", "appears"),
}
OPERATORS.update({w: ("comparative", v) for w, v in COMPARATIVES.items()})

# How a request is framed around the question itself ('I would like to know ...', 'could you list ...', 'please
# provide ...'): the asker, a wish or need, and a verb of telling or finding out carry no meaning and are dropped at
# the start of a sentence; a verb that names the answer's shape ('list', 'show', 'name', 'count') is kept.
# Anything else (a measure, a filter, a negation, a date) is never part of a frame, so it is never dropped.
ASKERS = r"(?:i|we|i'd|we'd|i'm|we're|i am|we are)"
WISHES = (r"(?:(?:would|should|do|really|also|just) )?(?:like|love|want|need|wish|require|have to|must|"
          r"am looking|are looking|looking|am trying|are trying|trying|am interested|are interested|interested|"
          r"am curious|are curious|curious|wonder|was wondering|were wondering|wondering|"
          r"appreciate(?: it if you could| it if you would| it if you can)?)(?: to| for| in| about)?")
# verbs of telling, giving or finding out: the request, never the content
TELLING = (r"(?:know|see|find out|find|get|have|obtain|understand|learn|check|confirm|determine|establish|"
           r"tell|give|provide|supply|send|share|pull|fetch|report|let)")
RECIPIENT = r"(?: me know| us know| me| us)?"
YOU_ASKED = (r"(?:(?:could|can|would|will|might) you(?: please| kindly| possibly)?(?: be able to)?|"
             r"(?:is|would) it (?:be )?possible(?: for (?:me|us))? to|(?:can|could|may) (?:i|we)(?: please)?)")
SHAPE_VERBS = r"(?:list|show|name|count)"
FRAME_OPENINGS: tuple[str, ...] = (
    # 'i would like to know', 'we need to see', "i'm trying to find out", 'i wonder'
    rf"{ASKERS} {WISHES}(?: {TELLING}{RECIPIENT})?",
    # 'could you tell me', 'can you give us', 'would you please provide'
    rf"{YOU_ASKED} {TELLING}{RECIPIENT}",
    # 'please provide', 'kindly send me'
    rf"(?:please|kindly) {TELLING}{RECIPIENT}",
    # 'for the record', 'for our records', 'for reporting purposes'
    r"for (?:the|our) records?|for reporting(?: purposes)?",
    # 'let me know', 'any idea', 'do you know', 'just curious', 'out of curiosity'
    r"(?:let (?:me|us)|lemme) know|any idea|(?:do|would) you (?:happen to )?know|(?:just )?curious|out of curiosity",
)
# 'could you list', 'can you show me', "i'd like to see a list of": the request keeps its shape word
SHAPE_OPENINGS: tuple[str, ...] = (
    rf"{YOU_ASKED} ({SHAPE_VERBS}){RECIPIENT}",
    rf"{ASKERS} {WISHES} ({SHAPE_VERBS}){RECIPIENT}",
    rf"(?:please|kindly) ({SHAPE_VERBS}){RECIPIENT}",
    rf"(?:{ASKERS} {WISHES}(?: (?:see|get|have))?|{YOU_ASKED} (?:give|provide|send)(?: me| us)?) an? (list)(?: of)?",
)
# words right after a dropped frame that only introduce the question: 'tell me whether', 'know if'
FRAME_LINKS = r"(?: (?:whether|if))?"

# a value's place in a ranking: 'what rank is mobile-apps by prompts', 'where does vscode place by lines added' (its
# rank among the values of its own dimension, never its plain total)
STANDING_WORDS: frozenset[str] = frozenset({"rank", "ranks", "ranked", "ranking", "position", "place", "placed",
                                            "standing"})

# the nouns that name a dimension's table as a source ('all prompts in the model breakdown', 'the ide data'): a share's
# whole is then taken from that table (every value of it), not from the users' daily totals
SOURCE_NOUNS: tuple[str, ...] = ("breakdown", "breakdowns", "table", "report", "data", "split", "rows", "dataset")
