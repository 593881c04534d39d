package ui

import "time"

// zone is the user's time zone as the window shows it: Deps.Loc when the
// window opens, then what the settings say. It is read and changed on the UI
// goroutine only: work in the background gets the location it needs as a
// value, and the screens hear of a change through the window's signal.
type zone struct {
	loc *time.Location
}

// now is the time now in the zone.
func (z *zone) now(d *Deps) time.Time { return d.now().In(z.loc) }

// set changes the zone, reporting whether it changed.
func (z *zone) set(loc *time.Location) bool {
	if loc.String() == z.loc.String() {
		return false
	}
	z.loc = loc
	return true
}
