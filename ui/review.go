package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kaiku-app/kaiku/planner"
)

// ReviewPanel shows the week's review: the mix against its targets, goals
// served, time used and the slots still empty.
type ReviewPanel struct {
	widget.BaseWidget
	box *fyne.Container
}

// NewReviewPanel makes an empty panel; Set fills it.
func NewReviewPanel() *ReviewPanel {
	p := &ReviewPanel{box: container.NewVBox()}
	p.ExtendBaseWidget(p)
	return p
}

func (p *ReviewPanel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.box)
}

// Set shows r.
func (p *ReviewPanel) Set(r planner.WeekReview) {
	p.box.Objects = nil
	heading := func(key, fallback string) {
		p.box.Add(&widget.Label{Text: lang.X(key, fallback), TextStyle: fyne.TextStyle{Bold: true}})
	}
	heading("review.heading.mix", "Mix this week")
	p.box.Add(wrapLabel(lang.X("review.fill_rule", "A slot is done when a post in it is scheduled or published; drafts and ideas do not count yet.")))
	for _, pr := range r.Purposes {
		if pr.Purpose == planner.PurposeFollow {
			continue // following leaves no posts to count
		}
		p.box.Add(wrapLabel(lang.X("review.mix", "{{.Name}}: {{.Filled}} of {{.Slots}} slots done · {{.Actual}} % of posts, target {{.Target}} %",
			map[string]any{"Name": mixName(pr.Purpose), "Filled": pr.Filled, "Slots": pr.Slots, "Actual": pr.ActualPercent, "Target": pr.TargetPercent})))
		if pr.Drafted > 0 {
			p.box.Add(wrapLabel(lang.X("review.drafted", "{{.N}} more has only a draft or an idea: schedule it to count it.", map[string]any{"N": pr.Drafted})))
		}
		p.box.Add(newMeter(float32(pr.ActualPercent)/100, float32(pr.TargetPercent)/100, purposeColor(pr.Purpose)))
	}
	heading("review.heading.time", "Time")
	p.box.Add(&widget.Label{Text: lang.X("review.time", "{{.Used}} / {{.Planned}} min", map[string]any{"Used": r.Time.UsedMinutes, "Planned": r.Time.PlannedMinutes}), SizeName: theme.SizeNameCaptionText})
	p.box.Add(newMeter(float32(r.Time.UsedMinutes)/float32(max(r.Time.PlannedMinutes, 1)), -1, theme.Color(theme.ColorNamePrimary)))
	if r.Time.BudgetMinutes > 0 {
		p.box.Add(&widget.Label{Text: lang.X("review.budget", "Weekly budget {{.Budget}} min", map[string]any{"Budget": r.Time.BudgetMinutes}), SizeName: theme.SizeNameCaptionText})
	}
	heading("review.heading.goals", "Goals")
	if len(r.Goals) == 0 {
		p.box.Add(wrapLabel(lang.X("review.no_goals", "No goals yet. Add your organization's goals on the Role screen.")))
	}
	for _, g := range r.Goals {
		p.box.Add(wrapLabel(lang.X("review.goal", "{{.Title}}: {{.Posts}} posts", map[string]any{"Title": g.Title, "Posts": g.Posts})))
	}
	if r.Reading != (planner.ReadingReview{}) {
		heading("review.heading.reading", "Reading list")
		p.box.Add(wrapLabel(lang.X("review.reading", "{{.Read}} read, {{.Shared}} shared this week", map[string]any{"Read": r.Reading.Read, "Shared": r.Reading.Shared})))
	}
	heading("review.heading.empty", "Empty slots")
	p.box.Add(wrapLabel(lang.X("review.empty", "{{.Upcoming}} to come, {{.Past}} passed", map[string]any{"Upcoming": len(r.EmptyUpcoming), "Past": len(r.EmptyPast)})))
	for _, n := range r.Notes {
		p.box.Add(wrapLabel("• " + lang.X(n.Key, n.Key, n.Data)))
	}
	p.Refresh()
}

// mixName names a purpose as a share of the mix: "Sharing".
func mixName(p planner.Purpose) string {
	names := map[planner.Purpose]string{planner.PurposeWrite: "Writing", planner.PurposeShare: "Sharing", planner.PurposeConverse: "Conversing"}
	return lang.X("review.mix."+string(p), names[p])
}

func wrapLabel(s string) *widget.Label {
	return &widget.Label{Text: s, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
}

// meter is a thin bar: a fill for the actual share and a tick at the target.
type meter struct {
	widget.BaseWidget
	value, target float32 // 0..1; a negative target draws no tick
	fill          color.Color
}

func newMeter(value, target float32, fill color.Color) *meter {
	m := &meter{value: min(max(value, 0), 1), target: min(target, 1), fill: fill}
	m.ExtendBaseWidget(m)
	return m
}

func (m *meter) CreateRenderer() fyne.WidgetRenderer {
	track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	track.CornerRadius = 3
	bar := canvas.NewRectangle(m.fill)
	bar.CornerRadius = 3
	tick := canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
	if m.target < 0 {
		tick.Hide()
	}
	return &meterRenderer{m: m, track: track, bar: bar, tick: tick}
}

type meterRenderer struct {
	m                *meter
	track, bar, tick *canvas.Rectangle
}

func (r *meterRenderer) Layout(s fyne.Size) {
	r.track.Resize(s)
	r.bar.Resize(fyne.NewSize(s.Width*r.m.value, s.Height))
	r.tick.Move(fyne.NewPos(s.Width*max(r.m.target, 0)-1, -2))
	r.tick.Resize(fyne.NewSize(2, s.Height+4))
}

func (r *meterRenderer) MinSize() fyne.Size { return fyne.NewSize(60, 8) }
func (r *meterRenderer) Refresh()           { r.Layout(r.m.Size()); canvas.Refresh(r.m) }
func (r *meterRenderer) Destroy()           {}
func (r *meterRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.bar, r.tick}
}
