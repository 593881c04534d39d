package ui

import (
	"fyne.io/fyne/v2/widget"
)

func selectIndex(s *widget.Select, i int) {
	if i < 0 {
		s.ClearSelected()
		return
	}
	s.SetSelectedIndex(i)
}

func indexOf[T comparable](xs []T, x T) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func indexOfString(xs []string, x string) int { return indexOf(xs, x) }
