package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// WeekScreen shows one ISO week's posts, Monday first.
type WeekScreen struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	onOpen  func(planner.Post)
	monday  time.Time
	posts   []planner.Post
	loading int // generation of the latest load, so a slow old load never wins

	title *widget.Label
	list  *widget.List
	empty *widget.Label
}

// NewWeekScreen shows the current week; onOpen is called when a post is tapped.
func NewWeekScreen(d *Deps, win fyne.Window, onOpen func(planner.Post)) *WeekScreen {
	s := &WeekScreen{deps: d, win: win, onOpen: onOpen, monday: weekStart(d.now())}
	s.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	s.empty = &widget.Label{Text: lang.X("week.empty", "No posts this week. Press Ctrl+N to write one."), Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	s.list = widget.NewList(
		func() int { return len(s.posts) },
		func() fyne.CanvasObject {
			when := &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
			status := &widget.Label{Importance: widget.MediumImportance, TextStyle: fyne.TextStyle{Italic: true}}
			text := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
			return container.NewBorder(nil, nil, container.NewHBox(when, status), nil, text)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(s.posts) {
				return
			}
			p := s.posts[i]
			c := o.(*fyne.Container)
			text := c.Objects[0].(*widget.Label)
			left := c.Objects[1].(*fyne.Container)
			t := p.Time.In(s.deps.loc())
			left.Objects[0].(*widget.Label).SetText(fmt.Sprintf("%-9s %s", dayLabel(t, s.deps.Lang), clock(t)))
			left.Objects[1].(*widget.Label).SetText(statusLabel(p.Status))
			text.SetText(p.FirstLine())
		},
	)
	s.list.OnSelected = func(i widget.ListItemID) {
		s.list.UnselectAll()
		if i < len(s.posts) && s.onOpen != nil {
			s.onOpen(s.posts[i])
		}
	}
	s.ExtendBaseWidget(s)
	s.Reload()
	return s
}

func (s *WeekScreen) CreateRenderer() fyne.WidgetRenderer {
	prev := &widget.Button{Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: s.Previous}
	next := &widget.Button{Icon: theme.NavigateNextIcon(), Importance: widget.LowImportance, OnTapped: s.Next}
	today := &widget.Button{Text: lang.X("week.today", "Today"), OnTapped: s.Today}
	header := container.NewBorder(nil, nil, container.NewHBox(prev, today, next), nil, s.title)
	return widget.NewSimpleRenderer(container.NewBorder(header, nil, nil, nil, container.NewStack(s.list, s.empty)))
}

// Monday is the first day of the week shown.
func (s *WeekScreen) Monday() time.Time { return s.monday }

// Previous shows the week before.
func (s *WeekScreen) Previous() { s.show(s.monday.AddDate(0, 0, -7)) }

// Next shows the week after.
func (s *WeekScreen) Next() { s.show(s.monday.AddDate(0, 0, 7)) }

// Today shows the current week.
func (s *WeekScreen) Today() { s.show(weekStart(s.deps.now())) }

func (s *WeekScreen) show(monday time.Time) {
	s.monday = monday
	s.Reload()
}

// Reload reads the week's posts off the UI goroutine and shows them.
func (s *WeekScreen) Reload() {
	s.loading++
	gen, from := s.loading, s.monday
	to := from.AddDate(0, 0, 7)
	s.title.SetText(weekTitle(from))
	go func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		posts, err := s.deps.Store.PostsBetween(ctx, from, to)
		fyne.Do(func() {
			if gen != s.loading {
				return
			}
			if err != nil {
				showError(s.win, s.deps.Log, "load week", err)
				return
			}
			s.posts = posts
			if len(posts) == 0 {
				s.empty.Show()
			} else {
				s.empty.Hide()
			}
			s.list.Refresh()
		})
	}()
}

// statusLabel names a post's status in the user's language.
func statusLabel(st planner.Status) string {
	return lang.X("status."+string(st), string(st))
}
