package ui

import (
	"errors"
	"image/color"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// RoleScreen holds the role wizard, the slot plan and the goals.
type RoleScreen struct {
	widget.BaseWidget

	deps    *Deps
	win     fyne.Window
	changed *signal
	zone    *zone
	// OnDone is called when the user has seen the plan and wants their week.
	OnDone func()

	tabs   *container.AppTabs
	wizard *container.Scroll
	// actions holds the wizard's buttons below its scrolling content, so
	// that the main one shows without scrolling in a small window.
	actions *fyne.Container
	step    int
	answers planner.Answers
	rec     *planner.Recommendation
	// keys answer the question in view from the keyboard; nil when none is.
	keys *answerKeys

	plan  planner.SlotPlan
	rows  []*slotRow
	slots *fyne.Container
	goals *fyne.Container
}

// NewRoleScreen makes the screen; the wizard starts at its first question.
func NewRoleScreen(d *Deps, win fyne.Window, changed *signal, z *zone) *RoleScreen {
	s := &RoleScreen{deps: d, win: win, changed: changed, zone: z, answers: planner.Answers{}}
	s.wizard = container.NewVScroll(container.NewVBox())
	s.actions = container.NewHBox()
	s.slots = container.NewVBox()
	s.goals = container.NewVBox()
	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.X("role.tab.wizard", "Find your role"), container.NewBorder(nil, container.NewPadded(s.actions), nil, nil, s.wizard)),
		container.NewTabItem(lang.X("role.tab.plan", "Weekly plan"), s.planView()),
		container.NewTabItem(lang.X("role.tab.goals", "Goals"), s.goalsView()),
	)
	s.ExtendBaseWidget(s)
	s.showStep()
	s.loadPlan()
	s.loadGoals()
	return s
}

func (s *RoleScreen) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.tabs) }

// StartWizard shows the questionnaire from its first question.
func (s *RoleScreen) StartWizard() {
	s.step, s.answers, s.rec = 0, planner.Answers{}, nil
	s.tabs.SelectIndex(0)
	s.showStep()
}

// ShowPlan shows the slot plan tab.
func (s *RoleScreen) ShowPlan() { s.tabs.SelectIndex(1) }

func (s *RoleScreen) showStep() {
	qs := planner.Questions()
	if s.step >= len(qs) {
		s.showRecommendation()
		return
	}
	q := qs[s.step]
	title := &widget.Label{Text: lang.X(q.TextKey, q.TextKey), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameSubHeadingText}
	hint := &widget.Label{Text: lang.X(q.HintKey, ""), Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}}
	progress := widget.NewProgressBar()
	progress.Max = float64(len(qs))
	progress.SetValue(float64(s.step))
	progress.TextFormatter = func() string {
		return lang.X("role.step", "Question {{.N}} of {{.Total}}", map[string]any{"N": s.step + 1, "Total": len(qs)})
	}
	var labels []string
	for _, o := range q.Options {
		labels = append(labels, lang.X(o.TextKey, o.TextKey))
	}
	chosen := func() []string {
		var out []string
		for _, id := range s.answers[q.ID] {
			if o, ok := q.Option(id); ok {
				out = append(out, lang.X(o.TextKey, o.TextKey))
			}
		}
		return out
	}()
	next := &widget.Button{Text: lang.X("role.next", "Next"), Icon: theme.NavigateNextIcon(), IconPlacement: widget.ButtonIconTrailingText, Importance: widget.HighImportance, OnTapped: func() { s.moveTo(s.step + 1) }}
	// Next waits for an answer; Skip goes on without one.
	showNext := func() {
		if len(s.answers[q.ID]) == 0 {
			next.Disable()
		} else {
			next.Enable()
		}
	}
	ids := func(sel []string) []string {
		var out []string
		for _, l := range sel {
			if i := slices.Index(labels, l); i >= 0 {
				out = append(out, q.Options[i].ID)
			}
		}
		return out
	}
	var choice fyne.CanvasObject
	var pick func(i int)
	keysHint := lang.X("role.keys", "Keys: 1–{{.N}} to choose, Enter for the next question.", map[string]any{"N": len(labels)})
	if q.Kind == planner.MultiChoice {
		cg := widget.NewCheckGroup(labels, nil)
		cg.SetSelected(chosen)
		cg.OnChanged = func(sel []string) {
			now, before := ids(sel), s.answers[q.ID]
			for _, id := range now {
				if !slices.Contains(before, id) {
					now = q.Pick(before, id) // an exclusive answer stands alone
				}
			}
			s.answers[q.ID] = now
			if len(now) != len(ids(sel)) {
				var keep []string
				for _, id := range now {
					if o, ok := q.Option(id); ok {
						keep = append(keep, lang.X(o.TextKey, o.TextKey))
					}
				}
				cg.SetSelected(keep)
			}
			showNext()
		}
		choice = cg
		keysHint = lang.X("role.keys_many", "Keys: 1–{{.N}} to tick or untick, Enter for the next question.", map[string]any{"N": len(labels)})
		pick = func(i int) {
			if slices.Contains(cg.Selected, labels[i]) {
				cg.SetSelected(slices.DeleteFunc(slices.Clone(cg.Selected), func(l string) bool { return l == labels[i] }))
			} else {
				cg.SetSelected(append(slices.Clone(cg.Selected), labels[i]))
			}
		}
	} else {
		rg := widget.NewRadioGroup(labels, func(v string) {
			s.answers[q.ID] = ids([]string{v})
			showNext()
		})
		if len(chosen) > 0 {
			rg.SetSelected(chosen[0])
		}
		choice = rg
		pick = func(i int) { rg.SetSelected(labels[i]) }
	}
	showNext()
	back := &widget.Button{Text: lang.X("role.back", "Back"), Icon: theme.NavigateBackIcon(), OnTapped: func() { s.moveTo(s.step - 1) }}
	if s.step == 0 {
		back.Disable()
	}
	skip := &widget.Button{Text: lang.X("role.skip", "Skip"), Importance: widget.LowImportance, OnTapped: func() { delete(s.answers, q.ID); s.moveTo(s.step + 1) }}
	keys := &widget.Label{Text: keysHint, Importance: widget.LowImportance, SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord}
	s.setWizard(container.NewVBox(progress, title, hint, choice, keys), back, skip, next)
	s.keys = &answerKeys{count: len(labels), pick: pick, next: next}
}

// moveTo shows question step (past the last, the roles). The button that
// had the focus is gone with the last question, so the keys go to the
// window, which answers the new question (answerRune, answerKey).
func (s *RoleScreen) moveTo(step int) {
	s.step = step
	s.showStep()
	s.win.Canvas().Unfocus()
}

// answerKeys answer a question of the wizard from the keyboard: a digit
// picks that answer (or, where several may be chosen, ticks or unticks it),
// Enter goes on once Next may be pressed.
type answerKeys struct {
	count int
	pick  func(i int)
	next  *widget.Button
}

// answerRune picks the answer of digit r, while a question is in view.
func (s *RoleScreen) answerRune(r rune) {
	if k := s.keys; k != nil && s.tabs.SelectedIndex() == 0 && r >= '1' && r <= '9' && int(r-'1') < k.count {
		k.pick(int(r - '1'))
	}
}

// answerKey goes to the next question on Enter, once it may.
func (s *RoleScreen) answerKey(ev *fyne.KeyEvent) {
	k := s.keys
	if k == nil || s.tabs.SelectedIndex() != 0 || (ev.Name != fyne.KeyReturn && ev.Name != fyne.KeyEnter) {
		return
	}
	if !k.next.Disabled() && k.next.OnTapped != nil {
		k.next.OnTapped()
	}
}

// setWizard shows content, with buttons below it that stay in view.
func (s *RoleScreen) setWizard(content fyne.CanvasObject, buttons ...fyne.CanvasObject) {
	s.keys = nil
	s.wizard.Content = container.NewPadded(content)
	s.wizard.ScrollToTop()
	s.wizard.Refresh()
	s.actions.Objects = buttons
	s.actions.Refresh()
}

func (s *RoleScreen) showRecommendation() {
	rec := planner.RecommendRoles(s.answers)
	s.rec = &rec
	p := rec.Profile
	box := container.NewVBox(&widget.Label{Text: lang.X("role.result", "Your roles"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText})
	for i, rs := range rec.Ranking[:2] {
		info := planner.InfoFor(rs.Role)
		head := lang.X("role.primary", "Primary: {{.Role}}", map[string]any{"Role": lang.X(info.NameKey, string(rs.Role))})
		if i == 1 {
			head = lang.X("role.secondary", "Secondary: {{.Role}}", map[string]any{"Role": lang.X(info.NameKey, string(rs.Role))})
		}
		card := container.NewVBox(&widget.Label{Text: lang.X(info.DescKey, ""), Wrapping: fyne.TextWrapWord})
		for _, r := range rs.Reasons {
			if r.Points > 0 {
				card.Add(&widget.Label{Text: "+ " + lang.X(r.Key, r.Key, r.Data), Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText})
			}
		}
		box.Add(widget.NewCard(head, "", card))
	}
	box.Add(&widget.Label{Text: lang.X("role.mix", "Content mix: {{.Own}} % own, {{.Shared}} % shared, {{.Conv}} % conversation. About {{.Minutes}} minutes a week.",
		map[string]any{"Own": p.Mix.Own, "Shared": p.Mix.Shared, "Conv": p.Mix.Conversation, "Minutes": p.WeeklyMinutes}), Wrapping: fyne.TextWrapWord})
	for _, n := range rec.Notes {
		box.Add(&widget.Label{Text: "• " + lang.X(n.Key, n.Key, n.Data), Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText})
	}
	use := &widget.Button{Text: lang.X("role.use", "Use this and propose a plan"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: s.UseRecommendation}
	again := &widget.Button{Text: lang.X("role.again", "Start over"), Icon: theme.ViewRefreshIcon(), OnTapped: s.StartWizard}
	s.setWizard(box, again, use)
}

// UseRecommendation saves the recommended profile and a plan proposed from
// it, then shows the plan.
func (s *RoleScreen) UseRecommendation() {
	if s.rec == nil {
		return
	}
	rec, loc, now, answers := *s.rec, s.zone.loc, s.deps.now(), s.answers
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		plan, err := planner.UseRecommendation(ctx, s.deps.Store, rec, loc, now)
		if err == nil {
			// The goals picked among the questions join the goals editor.
			_, err = planner.AddAnsweredGoals(ctx, s.deps.Store, answers, lang.X, now)
		}
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "save plan", err)
				return
			}
			s.loadGoals()
			s.setPlan(plan)
			s.changed.emit()
			s.ShowPlan()
		})
	})
}

func (s *RoleScreen) loadPlan() {
	loc := s.zone.loc // a new plan starts in the window's zone
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		plan, err := planner.ActivePlan(ctx, s.deps.Store, loc)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "load plan", err)
				return
			}
			s.setPlan(plan)
		})
	})
}

// planView is the slot plan as an editable table.
func (s *RoleScreen) planView() fyne.CanvasObject {
	intro := &widget.Label{Text: lang.X("plan.intro", "Your weekly slots. Change a day, time, length or purpose, then save."), Wrapping: fyne.TextWrapWord}
	add := &widget.Button{Text: lang.X("plan.add", "Add slot"), Icon: theme.ContentAddIcon(), OnTapped: s.addSlot}
	save := &widget.Button{Text: lang.X("plan.save", "Save plan"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.SavePlan}
	done := &widget.Button{Text: lang.X("plan.done", "Show my week"), Icon: theme.NavigateNextIcon(), OnTapped: func() {
		if s.OnDone != nil {
			s.OnDone()
		}
	}}
	head := func(key, fallback string) fyne.CanvasObject {
		return &widget.Label{Text: lang.X(key, fallback), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	}
	// The column headers line up with the rows' fields; the blank on the
	// right stands where each row's delete button is.
	spacer := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance}
	spacer.Hide()
	columns := container.NewBorder(nil, nil, nil, container.NewStack(spacer, layoutSpacer(spacer)),
		container.NewGridWithColumns(5, head("plan.col.day", "Day"), head("plan.col.time", "Time"), head("plan.col.length", "Length"), head("plan.col.purpose", "Purpose"), head("plan.col.role", "Role")))
	return container.NewBorder(container.NewVBox(intro, columns), container.NewHBox(add, save, done), nil, nil, container.NewVScroll(s.slots))
}

// layoutSpacer takes the room o would take, shown or not.
func layoutSpacer(o fyne.CanvasObject) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(o.MinSize())
	return r
}

// slotRow is one editable slot of the plan.
type slotRow struct {
	id      string
	changed time.Time
	day     *widget.Select
	at      *widget.Entry
	minutes *widget.Entry
	purpose *widget.Select
	role    *widget.Select
	obj     fyne.CanvasObject
}

var planWeekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func (s *RoleScreen) setPlan(plan planner.SlotPlan) {
	s.plan = plan
	s.slots.Objects, s.rows = nil, nil
	for _, sl := range plan.Slots {
		s.appendRow(s.newSlotRow(sl))
	}
	if len(plan.Slots) == 0 {
		s.slots.Add(&widget.Label{Text: lang.X("plan.empty", "No slots yet. Answer the questions under “Find your role”, or add slots here."), Wrapping: fyne.TextWrapWord})
	}
	s.slots.Refresh()
}

func (s *RoleScreen) newSlotRow(sl planner.Slot) *slotRow {
	r := &slotRow{id: sl.ID, changed: sl.Changed}
	var days, purposes, roles []string
	for _, d := range planWeekdays {
		days = append(days, weekdayShort(d))
	}
	for _, p := range planner.Purposes() {
		purposes = append(purposes, purposeLabel(p))
	}
	roles = append(roles, lang.X("plan.any_role", "Any role"))
	for _, ro := range planner.Roles() {
		roles = append(roles, roleLabel(ro))
	}
	r.day = widget.NewSelect(days, nil)
	r.day.SetSelectedIndex(slices.Index(planWeekdays, sl.Weekday))
	r.at = &widget.Entry{Text: sl.Start.String()}
	r.minutes = &widget.Entry{Text: strconv.Itoa(sl.Minutes)}
	r.purpose = widget.NewSelect(purposes, nil)
	r.purpose.SetSelectedIndex(max(0, indexOf(planner.Purposes(), sl.Purpose)))
	r.role = widget.NewSelect(roles, nil)
	r.role.SetSelectedIndex(indexOf(planner.Roles(), sl.Role) + 1)
	remove := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance}
	grid := container.NewGridWithColumns(5, r.day, r.at, container.NewBorder(nil, nil, nil, widget.NewLabel(lang.X("plan.min", "min")), r.minutes), r.purpose, r.role)
	r.obj = container.NewBorder(nil, nil, nil, remove, grid)
	remove.OnTapped = func() {
		s.slots.Remove(r.obj)
		s.rows = slices.DeleteFunc(s.rows, func(x *slotRow) bool { return x == r })
	}
	return r
}

func (s *RoleScreen) appendRow(r *slotRow) {
	s.rows = append(s.rows, r)
	s.slots.Add(r.obj)
}

func (s *RoleScreen) addSlot() {
	if len(s.rows) == 0 {
		s.slots.Objects = nil // the "no slots yet" note
	}
	s.appendRow(s.newSlotRow(planner.Slot{ID: planner.NewID(), Weekday: time.Monday, Start: planner.ClockTime{Hour: 9}, Minutes: 15, Purpose: planner.PurposeShare}))
}

// SavePlan reads the rows, checks them and saves the plan.
func (s *RoleScreen) SavePlan() {
	before, plan := s.plan, s.plan
	plan.Slots = nil
	now := s.deps.now()
	old := map[string]planner.Slot{}
	for _, sl := range s.plan.Slots {
		old[sl.ID] = sl
	}
	for _, r := range s.rows {
		sl := planner.Slot{ID: r.id, Changed: r.changed}
		sl.Weekday = planWeekdays[max(0, r.day.SelectedIndex())]
		start, err := planner.ParseClock(strings.TrimSpace(r.at.Text))
		if err != nil {
			showError(s.win, s.deps.Log, "save plan", err)
			return
		}
		sl.Start = start
		if sl.Minutes, err = strconv.Atoi(strings.TrimSpace(r.minutes.Text)); err != nil {
			sl.Minutes = 0 // Validate explains the range
		}
		sl.Purpose = planner.Purposes()[max(0, r.purpose.SelectedIndex())]
		if i := r.role.SelectedIndex(); i > 0 {
			sl.Role = planner.Roles()[i-1]
		}
		if prev, ok := old[sl.ID]; !ok || prev.Weekday != sl.Weekday || prev.Start != sl.Start || prev.Minutes != sl.Minutes || prev.Purpose != sl.Purpose || prev.Role != sl.Role {
			sl.Changed = now
		}
		plan.Slots = append(plan.Slots, sl)
	}
	plan.Updated, plan.Revision = now, plan.Revision+1
	if err := plan.Validate(); err != nil {
		showError(s.win, s.deps.Log, "save plan", err)
		return
	}
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		err := s.deps.Store.SavePlan(ctx, plan)
		if err == nil {
			// The posts waiting in a moved slot go with it.
			_, err = planner.MoveSlotPosts(ctx, s.deps.Store, before, plan, now)
		}
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "save plan", err)
				return
			}
			s.setPlan(plan)
			s.changed.emit()
		})
	})
}

// goalsView lists the organization's goals with an editor for a new one.
func (s *RoleScreen) goalsView() fyne.CanvasObject {
	intro := &widget.Label{Text: lang.X("goals.intro", "Your organization's goals. Each post can serve one; the week review shows which got attention."), Wrapping: fyne.TextWrapWord}
	title := &widget.Entry{PlaceHolder: lang.X("goals.title", "Goal, e.g. Libraries known as AI experts")}
	desc := &widget.Entry{PlaceHolder: lang.X("goals.description", "Description (optional)")}
	var auds []string
	for _, a := range planner.Audiences() {
		auds = append(auds, lang.X("audience."+string(a), string(a)))
	}
	audiences := widget.NewCheckGroup(auds, nil)
	audiences.Horizontal = true
	add := &widget.Button{Text: lang.X("goals.add", "Add goal"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance}
	add.OnTapped = func() {
		now := s.deps.now()
		g := planner.Goal{ID: planner.NewID(), Title: strings.TrimSpace(title.Text), Description: strings.TrimSpace(desc.Text), Created: now, Updated: now}
		for i, a := range planner.Audiences() {
			if slices.Contains(audiences.Selected, auds[i]) {
				g.Audiences = append(g.Audiences, a)
			}
		}
		if err := g.Validate(); err != nil {
			showError(s.win, s.deps.Log, "save goal", err)
			return
		}
		s.deps.write(func() {
			ctx, cancel := s.deps.ctx()
			defer cancel()
			err := s.deps.Store.SaveGoal(ctx, g)
			s.deps.do(func() {
				if err != nil {
					showError(s.win, s.deps.Log, "save goal", err)
					return
				}
				title.SetText("")
				desc.SetText("")
				audiences.SetSelected(nil)
				s.loadGoals()
				s.changed.emit()
			})
		})
	}
	editor := container.NewVBox(intro, title, desc, audiences, container.NewHBox(add), widget.NewSeparator())
	return container.NewBorder(editor, nil, nil, nil, container.NewVScroll(s.goals))
}

func (s *RoleScreen) loadGoals() {
	s.deps.background(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		goals, err := s.deps.Store.Goals(ctx)
		s.deps.do(func() {
			if err != nil {
				showError(s.win, s.deps.Log, "load goals", err)
				return
			}
			s.goals.Objects = nil
			for _, g := range goals {
				var names []string
				for _, a := range g.Audiences {
					names = append(names, lang.X("audience."+string(a), string(a)))
				}
				del := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { s.deleteGoal(g) }}
				text := container.NewVBox(&widget.Label{Text: g.Title, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
				if g.Description != "" {
					text.Add(&widget.Label{Text: g.Description, Wrapping: fyne.TextWrapWord})
				}
				if len(names) > 0 {
					text.Add(&widget.Label{Text: strings.Join(names, ", "), Importance: widget.LowImportance})
				}
				s.goals.Add(container.NewBorder(nil, nil, nil, del, text))
			}
			s.goals.Refresh()
		})
	})
}

func (s *RoleScreen) deleteGoal(g planner.Goal) {
	s.deps.write(func() {
		ctx, cancel := s.deps.ctx()
		defer cancel()
		err := s.deps.Store.DeleteGoal(ctx, g.ID)
		s.deps.do(func() {
			if err != nil && !errors.Is(err, planner.ErrNotFound) {
				showError(s.win, s.deps.Log, "delete goal", err)
				return
			}
			s.loadGoals()
			s.changed.emit()
		})
	})
}
