package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// nav is the window's navigation: a column of buttons beside the screen in
// view. container.AppTabs refreshes every tab's content whenever the tabs
// refresh, including on each switch, which with Kaiku's five screens was most
// of the start-up time; nav renders only the screen in view, and builds a
// screen the first time it is shown.
type nav struct {
	screens  []func() fyne.CanvasObject
	buttons  []*widget.Button
	content  *fyne.Container
	selected int

	// onUnselected runs before the screen at index i is left.
	onUnselected func(i int)
}

// navItem is one entry: its label, icon and the screen, built on first use.
type navItem struct {
	label  string
	icon   fyne.Resource
	screen func() fyne.CanvasObject
}

// newNav builds and shows the first item's screen.
func newNav(items ...navItem) *nav {
	n := &nav{content: container.NewStack(items[0].screen())}
	for i, it := range items {
		b := widget.NewButtonWithIcon(it.label, it.icon, func() { n.SelectIndex(i) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		n.buttons = append(n.buttons, b)
		n.screens = append(n.screens, it.screen)
	}
	n.buttons[0].Importance = widget.HighImportance
	return n
}

// object is what goes into the window.
func (n *nav) object() fyne.CanvasObject {
	bar := make([]fyne.CanvasObject, len(n.buttons))
	for i, b := range n.buttons {
		bar[i] = b
	}
	side := container.NewHBox(container.NewVBox(bar...), widget.NewSeparator())
	return container.NewBorder(nil, nil, side, nil, n.content)
}

// SelectedIndex is the index of the screen in view.
func (n *nav) SelectedIndex() int { return n.selected }

// SelectIndex brings the screen at index i into view.
func (n *nav) SelectIndex(i int) {
	if i == n.selected || i < 0 || i >= len(n.screens) {
		return
	}
	if n.onUnselected != nil {
		n.onUnselected(n.selected)
	}
	n.buttons[n.selected].Importance = widget.LowImportance
	n.buttons[n.selected].Refresh()
	n.selected = i
	n.buttons[i].Importance = widget.HighImportance
	n.buttons[i].Refresh()
	n.content.Objects = []fyne.CanvasObject{n.screens[i]()}
	n.content.Refresh()
}
