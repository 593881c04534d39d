package planner

import "time"

// The keys of the notes LocalTime gives.
const (
	// NoteTimeGap: the time does not exist that day; the clocks jump over it.
	NoteTimeGap = "time.gap"
	// NoteTimeTwice: the time happens twice that day; the clocks turn back.
	NoteTimeTwice = "time.twice"
)

// TimeNote tells the user that a local time they gave is not a plain one,
// and where Kaiku put it. Key is NoteTimeGap or NoteTimeTwice; Data fills
// its text: Asked (the time given, "03:30"), Date, Zone, From and To (the
// clock before and after the change) and At (the time used, in the zone).
type TimeNote struct {
	Key  string         `json:"key"`
	Data map[string]any `json:"data"`
}

// LocalTime is the instant the clock in loc shows on the given date at
// hour:minute, by the one rule Kaiku keeps for posts and slots alike
// (WallTime): a time the clocks jump over is the first instant after the
// jump, and a time that happens twice is the first of the two. note, when
// not nil, says which of the two happened, for the command line and the
// window to tell the user.
func LocalTime(year int, month time.Month, day, hour, minute int, loc *time.Location) (t time.Time, note *TimeNote) {
	t, shifted := WallTime(year, month, day, hour, minute, loc)
	asked := time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
	data := map[string]any{
		"Asked": asked.Format("15:04"),
		"Date":  asked.Format(DateLayout),
		"Zone":  loc.String(),
		"At":    t.Format("15:04 MST"),
	}
	if shifted {
		// The clocks jump at t: from t on the old offset to t on the new.
		_, old := t.Add(-time.Nanosecond).Zone()
		data["From"] = t.In(time.FixedZone("", old)).Format("15:04")
		data["To"] = t.Format("15:04")
		return t, &TimeNote{Key: NoteTimeGap, Data: data}
	}
	_, off := t.Zone()
	for _, probe := range []time.Time{t.Add(-48 * time.Hour), t.Add(48 * time.Hour)} {
		_, other := probe.Zone()
		if other >= off {
			continue
		}
		// Were the clocks turned back by off-other, the same reading comes again.
		again := t.Add(time.Duration(off-other) * time.Second)
		if !sameWall(again, asked) {
			continue
		}
		back, _ := again.ZoneBounds()
		data["From"] = back.In(time.FixedZone("", off)).Format("15:04")
		data["To"] = back.Format("15:04")
		return t, &TimeNote{Key: NoteTimeTwice, Data: data}
	}
	return t, nil
}
