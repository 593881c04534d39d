package ui

import (
	"image/color"

	"fyne.io/fyne/v2/theme"

	"github.com/kaiku-app/kaiku/planner"
)

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// purposeColor tells the purposes apart in the calendar.
func purposeColor(p planner.Purpose) color.Color {
	switch p {
	case planner.PurposeWrite:
		return color.NRGBA{R: 0x2e, G: 0x86, B: 0xc1, A: 0xff}
	case planner.PurposeShare:
		return color.NRGBA{R: 0x27, G: 0xae, B: 0x60, A: 0xff}
	case planner.PurposeConverse:
		return color.NRGBA{R: 0xe6, G: 0x7e, B: 0x22, A: 0xff}
	}
	return color.NRGBA{R: 0x8e, G: 0x44, B: 0xad, A: 0xff}
}

// statusColor marks a post's status.
func statusColor(s planner.Status) color.Color {
	switch s {
	case planner.StatusPublished:
		return theme.Color(theme.ColorNameSuccess)
	case planner.StatusFailed:
		return theme.Color(theme.ColorNameError)
	case planner.StatusNeedsAttention:
		return theme.Color(theme.ColorNameWarning)
	case planner.StatusScheduled, planner.StatusPublishing:
		return theme.Color(theme.ColorNamePrimary)
	}
	return theme.Color(theme.ColorNamePlaceHolder)
}

// statusMark is a one-character sign of a post's status, beside its colour.
func statusMark(s planner.Status) string {
	switch s {
	case planner.StatusPublished:
		return "✓"
	case planner.StatusFailed:
		return "✗"
	case planner.StatusNeedsAttention:
		return "!"
	case planner.StatusScheduled, planner.StatusPublishing:
		return "◷"
	case planner.StatusIdea:
		return "·"
	}
	return "✎"
}

// workHoursColor shades the working day in the week: a faint wash of the
// foreground, which reads on the light and the dark theme alike.
func workHoursColor() color.Color {
	return withAlpha(theme.Color(theme.ColorNameForeground), 0x0a)
}

// busyColor shades the work calendar's busy time behind the slots; time
// only tentatively busy is lighter.
func busyColor(tentative bool) color.Color {
	if tentative {
		return withAlpha(theme.Color(theme.ColorNameForeground), 0x14)
	}
	return withAlpha(theme.Color(theme.ColorNameForeground), 0x26)
}
