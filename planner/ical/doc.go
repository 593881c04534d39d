// Package ical exports Kaiku's slot plan as an iCalendar (RFC 5545) file that
// Outlook, Google Calendar and other calendar apps import as reminders.
//
// Two shapes are written. By default every slot occurrence in the range
// (Options.From and Options.Weeks, four weeks unless told) is one VEVENT. With
// Options.Recurring every slot is one weekly series (RRULE:FREQ=WEEKLY) that
// runs on without end; a skipped occurrence is an EXDATE, and a moved or
// shifted occurrence, or one a post fills, is an overriding VEVENT with the
// series' UID and a RECURRENCE-ID.
//
// Identity: a single occurrence's UID is "<occurrence-id>@kaiku" and a
// series' UID is "<slot-id>@kaiku", so importing a newer export updates the
// events instead of adding copies. A calendar should be fed one shape only:
// the two shapes' UIDs differ.
//
// SEQUENCE is the number of whole minutes from 2020-01-01 00:00 UTC to the
// latest change behind the event (see Sequence): the slot's Changed time, the
// Updated time of the occurrence's exception and of every post filling it. It
// is therefore the same in every export until one of those changes, and it
// grows when one does, without Kaiku storing what it exported. A series' own
// SEQUENCE follows its slot and the slot's exceptions (which its EXDATEs
// mirror). DTSTAMP is Options.Now.
//
// Times carry the plan's IANA zone as TZID with a VTIMEZONE generated from
// Go's zone data, or are written in UTC (Options.UTC, and any zone that is
// UTC). Text is escaped as RFC 5545 TEXT and every line is folded at 75
// octets without splitting a UTF-8 sequence. Only the plan's slots and the
// posts' text go into the file: no account, token or publishing result.
//
// Texts are in the user's language through Options.Translate, so this
// package needs no UI toolkit.
//
// ParseBusy reads the other way: a work calendar exported or published by
// Outlook, Google Calendar or another app, of which it returns only busy
// intervals (see busy.go).
package ical

//go:generate go run gen_windowszones.go -in package/supplemental/windowsZones.json
