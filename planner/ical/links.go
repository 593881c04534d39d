package ical

import (
	"net/url"
	"strings"
)

// Lengths past which a link's texts are cut: the whole link must stay within
// what browsers and the providers accept (a few kilobytes once escaped).
const (
	maxLinkTitleChars = 200
	maxLinkBodyChars  = 1000
)

// GoogleCalendarURL is a link that opens Google Calendar's new-event page
// filled in with the event (its times in UTC).
func GoogleCalendarURL(ev Event) string {
	return "https://calendar.google.com/calendar/render?" + query(
		"action", "TEMPLATE",
		"text", linkText(ev.Summary, maxLinkTitleChars),
		"dates", ev.Start.UTC().Format(utcLayout)+"/"+ev.End.UTC().Format(utcLayout),
		"details", linkText(ev.Description, maxLinkBodyChars),
	)
}

// OutlookURL is a link that opens Outlook on the web's new-event page filled
// in with the event (its times in UTC).
func OutlookURL(ev Event) string {
	const iso = "2006-01-02T15:04:05Z"
	return "https://outlook.live.com/calendar/0/deeplink/compose?" + query(
		"subject", linkText(ev.Summary, maxLinkTitleChars),
		"startdt", ev.Start.UTC().Format(iso),
		"enddt", ev.End.UTC().Format(iso),
		"body", linkText(ev.Description, maxLinkBodyChars),
		"path", "/calendar/action/compose",
		"rru", "addevent",
	)
}

func linkText(s string, n int) string { return truncate(cleanText(s), n) }

// query joins name-value pairs in the given order. A space is %20, not "+",
// which Outlook shows as a plus sign; "/" and ":" stay as they are, as the
// providers' own links write them.
func query(kv ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[i])
		b.WriteByte('=')
		b.WriteString(queryEscape(kv[i+1]))
	}
	return b.String()
}

var unescapeSafe = strings.NewReplacer("+", "%20", "%2F", "/", "%3A", ":")

func queryEscape(s string) string { return unescapeSafe.Replace(url.QueryEscape(s)) }
