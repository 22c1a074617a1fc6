// Package events codes diplomatic events — who met, visited, hosted, signed
// with, praised, criticised, accused, threatened, sanctioned or aided whom —
// from news articles, in the CAMEO scheme (Schrodt, "CAMEO Conflict and
// Mediation Event Observations Codebook", v1.1b3, 2012) with GDELT's quad
// classes and Goldstein weights (Goldstein 1992, "A Conflict-Cooperation
// Scale for WEIS Events Data"), and keeps the evidence sentence of each.
//
// It works without a syntactic parser (PETRARCH2 needs CoreNLP parse trees):
//
//  1. [ReadArticle] takes plain text (with optional Title/Published/URL header
//     lines) or HTML, whose main text is extracted with readability
//     (codeberg.org/readeck/go-readability, a maintained port of Mozilla's
//     Readability).
//  2. [SplitSentences] splits at line breaks and at sentence-final punctuation
//     followed by a capital, except after abbreviations and initials.
//  3. Actors are found by longest match against a [Dictionary]: state names,
//     adjectives ("Cuban"), capitals used as the government when not after a
//     preposition ("Tehran said" but not "in Tehran"), international
//     organisations, and officials as [state] title [Name] ("Cuban President
//     Miguel Díaz-Canel" → CUB, President, Miguel Díaz-Canel). Names seen once
//     are remembered for the article, so "Díaz-Canel" and "the Cuban president"
//     resolve later; "he"/"she" is the last person acting. A titled official of
//     no named state in an article datelined in a state is taken to be that
//     state's. People from a leaders file or the PETRARCH2 actor dictionary
//     resolve only on days inside their dates of office.
//  4. Events are verb rules ([VerbRule]): a trigger word, optionally a word
//     that must follow it, and a frame — subject–verb–object (source is the
//     nearest actor before the verb, or after "by" in the passive, or the
//     speaker of a quote), symmetric (meetings, signings) or visit (the host is
//     the actor after the verb or the state of the dateline). Source and
//     target must be different states (or an organisation).
//     Rules that keep the coder precise: an actor after "against" is no
//     partner of cooperation; what is "discussed" is a topic unless after
//     "with", "between" or "among"; the verb's object ends the search for a
//     target when it is on the source's side ("lawmakers urged the
//     president"); "the President" alone is the one president the article
//     named (among several, one of a state already in the sentence); "he" or
//     "she" is the sentence's first person, else the focus; a speaker is the
//     source of a material act (aid, arms, sanctions) only when told in the
//     first person; "will visit", "to attend a meeting" are planned, not done;
//     intent to cooperate needs a forward-looking word, not a participle
//     ("expanded cooperation"); the bare noun "sanctions" needs an imposing
//     or novelty word ("new sanctions"). Without a dateline, officials of no
//     named state are of the outlet's state, from its address's country-code
//     domain (generic ones such as .tv or .fm excepted).
//  5. Dates: [DateIn] resolves "on Monday" (the latest Monday on or before the
//     reference day), "yesterday", "December 4" and full dates against the
//     dateline's day, else the publication date; a sentence naming no day takes
//     the first day named in the article's body; "earlier this week" or
//     "22 years ago" leave the day unknown, and so does an event in a phrase
//     of cause ("in response to", "following", "amid", "despite"), which
//     happened before the one reported. The place is a capital named after
//     a preposition in the sentence, else the dateline's city.
//
// The built-in codebook is GDELT's CAMEO event codes with Goldstein weights
// (311 codes), embedded as Go source with the citation GDELT's terms require:
// the GDELT Project, https://www.gdeltproject.org (Leetaru and Schrodt 2013);
// [LoadCodebook] reads another. [Dictionary.LoadPetrarchActors],
// [Dictionary.LoadPetrarchAgents] and [Dictionary.LoadPetrarchVerbs] read the
// PETRARCH2 dictionaries (MIT, Open Event Data Alliance) from a path.
//
// [Evaluate] scores coded events against hand-coded gold at the level of
// (date, source state, target state, CAMEO root), meetings and signings
// undirected.
package events
