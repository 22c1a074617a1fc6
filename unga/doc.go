// Package unga reads UN General Assembly roll-call voting data into a
// concord.Dataset, and downloads the newest release from its publisher.
//
// # Reading
//
// ReadFiles reads files as one batch; Read reads a single stream; a Batch
// (NewBatch, Batch.Add, Batch.AddFile, Batch.Dataset) reads any mix of
// streams. Each input may be plain or gzip-compressed (recognised by its
// magic bytes, not its name) and is read record by record. Its layout is
// recognised from the CSV header (DetectFormat):
//
//   - the three-table release of Voeten's data as in the R package unvotes:
//     votes (rcid, country, country_code, vote: yes, no or abstain), roll calls
//     (rcid, session, importantvote, date, unres, amend, para, short, descr) and
//     issues (rcid, short_name, issue). Namibia's ISO code is the string "NA";
//     an empty country_code (Yemen Arab Republic, Zanzibar, Federal Republic of
//     Germany) resolves the state by its name.
//   - Voeten's complete votes (rcid, session, vote, ccode, member,
//     importantvote, date, unres, me, nu, di, hr, co, ec, year), whose vote is
//     1 yes, 2 abstain, 3 no, 8 absent or 9 not a member: absences and
//     non-membership are kept as concord.Absent and concord.NonMember. Roll
//     calls are built from the session, date, unres, importantvote and issue
//     flag columns (and amend, para, short and descr when the file has them);
//     year is the session's year, not the calendar year, and is ignored.
//   - the UN Digital Library's "UN General Assembly Voting Data" (undl_id,
//     ms_code, ms_name, ms_vote, date, session, resolution, title, agenda_title
//     and more), whose vote is Y, N, A, or X, NV or empty for a member that did
//     not vote (read as concord.Absent). It has no rcid: a record's roll call
//     gets UNDLRCIDBase + undl_id, which cannot collide with Voeten's rcids.
//     Its title is the roll call's Descr, its agenda title the Short; it holds
//     only votes on whole adopted resolutions, so Amend and Para are false; it
//     is not tagged with issues. Its roll calls are not matched to Voeten's:
//     importing both counts the votes they share twice.
//
// States are resolved through package countries: ISO2 code, else name, and
// the two must agree when both are known (votes); COW code (complete votes);
// ms_code, else ms_name, as the UN meant them on the day of the vote
// (countries.LookupUN: CHN before 25 October 1971 is the Republic of China,
// YEM before 22 May 1990 the Yemen Arab Republic) for the UN Digital Library,
// whose Soviet Union rows are filed under Russia as Voeten's data (COW 365)
// files them. Votes filed under the Federal Republic of Germany on roll calls
// dated on or after 3 October 1990 (Reunification), or undated from session 45
// on, become Germany's, as in the 2016 release; the 2021 release files session
// 45 (1990-91) under the Federal Republic.
//
// # Joining a batch
//
// Issue rows attach to roll calls. Every vote's and issue row's rcid must have
// a roll call in the same batch. A roll call read from several files (the 2021
// and 2016 releases together) is merged: empty fields are filled, issue tags
// unioned, and a field on which the files disagree keeps the value read first
// with a warning in Dataset.Warnings. Identical duplicate votes collapse; two
// different votes of one state on one roll call are an error naming both
// positions.
//
// Every problem with an input is an *InputError naming the file, line and
// column and what is wrong.
//
// # Fetching
//
// Fetch downloads the newest release from its publisher, resuming an
// interrupted download and verifying its checksum: Voeten's dataset on the
// Harvard Dataverse (CC0) or the UN Digital Library's voting data (copyright
// United Nations; non-commercial use with attribution).
package unga
