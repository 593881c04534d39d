package planner

import (
	"slices"
	"time"
)

// BusyInterval is a stretch of time the user's work calendar holds: the
// start, the end and whether it is only tentatively busy. It is all Kaiku
// keeps of a calendar: never a title, attendee, location or description.
type BusyInterval struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Tentative bool      `json:"tentative"`
}

// Overlaps reports whether the interval and [start, end) share any time.
func (b BusyInterval) Overlaps(start, end time.Time) bool {
	return b.Start.Before(end) && start.Before(b.End)
}

// MergeBusy sorts the intervals and joins those that overlap or touch. Where
// firm and tentative intervals overlap, the shared time is firm: an interval
// stays tentative only where everything covering it is tentative. Empty and
// backward intervals are dropped. The result never overlaps itself.
func MergeBusy(in []BusyInterval) []BusyInterval {
	type edge struct {
		at        time.Time
		delta     int // +1 opens, -1 closes
		tentative bool
	}
	edges := make([]edge, 0, 2*len(in))
	for _, b := range in {
		if !b.Start.Before(b.End) {
			continue
		}
		edges = append(edges, edge{b.Start, 1, b.Tentative}, edge{b.End, -1, b.Tentative})
	}
	slices.SortFunc(edges, func(a, b edge) int { return a.at.Compare(b.at) })

	var out []BusyInterval
	firm, tentative := 0, 0
	for i := 0; i < len(edges); {
		at := edges[i].at
		// All edges at one instant apply together, so touching intervals join.
		for ; i < len(edges) && edges[i].at.Equal(at); i++ {
			if edges[i].tentative {
				tentative += edges[i].delta
			} else {
				firm += edges[i].delta
			}
		}
		busy, onlyTentative := firm+tentative > 0, firm == 0
		if n := len(out); n > 0 && out[n-1].End.IsZero() {
			// An interval is open: it ends here, or changes kind here.
			if busy && out[n-1].Tentative == onlyTentative {
				continue
			}
			out[n-1].End = at
		}
		if busy {
			out = append(out, BusyInterval{Start: at, Tentative: onlyTentative})
		}
	}
	return out
}

// BusyBetween returns the merged intervals that overlap [from, to), whole.
// busy must be merged (MergeBusy) and so sorted.
func BusyBetween(busy []BusyInterval, from, to time.Time) []BusyInterval {
	out := []BusyInterval{}
	for i := firstEndingAfter(busy, from); i < len(busy) && busy[i].Start.Before(to); i++ {
		out = append(out, busy[i])
	}
	return out
}

// firstEndingAfter is the index of the first interval that ends after t;
// merged intervals end in the order they start.
func firstEndingAfter(busy []BusyInterval, t time.Time) int {
	i, _ := slices.BinarySearchFunc(busy, t, func(b BusyInterval, t time.Time) int {
		if b.End.After(t) {
			return 1
		}
		return -1
	})
	return i
}

// busyAt reports whether [start, end) meets busy time; busy must be merged.
func busyAt(busy []BusyInterval, start, end time.Time) bool {
	i := firstEndingAfter(busy, start)
	return i < len(busy) && busy[i].Start.Before(end)
}

// MarkConflicts sets Conflict on each occurrence that overlaps busy time
// (tentative busy time too) and clears it on the others. busy must be merged.
func MarkConflicts(occs []Occurrence, busy []BusyInterval) {
	for i := range occs {
		occs[i].Conflict = busyAt(busy, occs[i].Start, occs[i].End)
	}
}

// Bounds of the day NearestFreeTime searches, in minutes since midnight: a
// posting slot is moved within waking working hours, or no further out than
// where it already was.
const (
	freeDayStart = 7 * 60
	freeDayEnd   = 21 * 60
)

// NearestFreeTime finds the start nearest to o's own at which an occurrence
// of the same length meets neither busy time nor any of others (the day's
// other occurrences; o itself among them is passed over). It stays on o's
// local day in loc, between 07:00 and 21:00 (or o's own time, when outside
// that), and starts either where o does, right after busy time or another
// occurrence ends, or so that it ends right where one begins. busy must be
// merged. It reports false when the day has no such time.
func NearestFreeTime(o Occurrence, others []Occurrence, busy []BusyInterval, loc *time.Location) (time.Time, bool) {
	length := o.End.Sub(o.Start)
	if length <= 0 {
		return time.Time{}, false
	}
	local := o.Start.In(loc)
	y, m, d := local.Date()
	dayStart, _ := WallTime(y, m, d, freeDayStart/60, freeDayStart%60, loc)
	dayEnd, _ := WallTime(y, m, d, freeDayEnd/60, freeDayEnd%60, loc)
	if o.Start.Before(dayStart) {
		dayStart = o.Start
	}
	if o.End.After(dayEnd) {
		dayEnd = o.End
	}

	taken := BusyBetween(busy, dayStart, dayEnd)
	for _, x := range others {
		if x.ID != o.ID && x.Start.Before(dayEnd) && x.End.After(dayStart) {
			taken = append(taken, BusyInterval{Start: x.Start, End: x.End})
		}
	}
	taken = MergeBusy(taken)

	candidates := []time.Time{o.Start, dayStart, dayEnd.Add(-length)}
	for _, b := range taken {
		candidates = append(candidates, b.End, b.Start.Add(-length))
	}
	var best time.Time
	found := false
	for _, c := range candidates {
		end := c.Add(length)
		if c.Before(dayStart) || end.After(dayEnd) || busyAt(taken, c, end) {
			continue
		}
		if !found || closer(c, best, o.Start) {
			best, found = c, true
		}
	}
	return best, found
}

// closer reports whether a is nearer to t than b; a tie goes to the later
// time, so a slot moves past a meeting rather than before it.
func closer(a, b, t time.Time) bool {
	da, db := absDuration(a.Sub(t)), absDuration(b.Sub(t))
	if da != db {
		return da < db
	}
	return a.After(b)
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// quarters is the number of quarter hours in a day.
const quarters = 24 * 4

// MaxPatternWeeks bounds a BusyPattern.
const MaxPatternWeeks = 26

// BusyPattern is when a work calendar is busy, quarter hour by quarter hour
// of the local week, over a run of weeks: what ProposePlanAround places
// slots around. The zero pattern has no weeks and nothing busy.
type BusyPattern struct {
	// busy[w][d][q]: week w, weekday d (time.Sunday = 0), quarter hour q of the local day.
	busy [][7][quarters]bool
}

// WeeklyBusyPattern reads the pattern of the weeks that start at from's
// local date in loc (from should be a Monday for Kaiku's weeks, though any
// day works), weeks of them, at most MaxPatternWeeks. busy must be merged.
func WeeklyBusyPattern(busy []BusyInterval, from time.Time, weeks int, loc *time.Location) BusyPattern {
	weeks = min(max(weeks, 0), MaxPatternWeeks)
	p := BusyPattern{busy: make([][7][quarters]bool, weeks)}
	y, m, d := from.In(loc).Date()
	for w := range weeks {
		for i := range 7 {
			day := time.Date(y, m, d+7*w+i, 12, 0, 0, 0, time.UTC) // only the date counts
			dy, dm, dd := day.Date()
			for q := range quarters {
				start, _ := WallTime(dy, dm, dd, q/4, q%4*15, loc)
				if busyAt(busy, start, start.Add(15*time.Minute)) {
					p.busy[w][day.Weekday()][q] = true
				}
			}
		}
	}
	return p
}

// Weeks is how many weeks the pattern covers.
func (p BusyPattern) Weeks() int { return len(p.busy) }

// WeeksBusy counts the weeks in which a slot on weekday d from start
// (minutes since midnight) for minutes would meet busy time.
func (p BusyPattern) WeeksBusy(d time.Weekday, start, minutes int) int {
	if d < time.Sunday || d > time.Saturday {
		return 0
	}
	first, last := max(start/15, 0), min((start+minutes+14)/15, quarters)
	n := 0
	for _, week := range p.busy {
		for q := first; q < last; q++ {
			if week[d][q] {
				n++
				break
			}
		}
	}
	return n
}
