package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kaiku-app/kaiku/planner"
)

var weekdayNames = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday, "thu": time.Thursday,
	"fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"ma": time.Monday, "ti": time.Tuesday, "ke": time.Wednesday, "to": time.Thursday,
	"pe": time.Friday, "la": time.Saturday, "su": time.Sunday,
}

func parseWeekday(s string) (time.Weekday, error) {
	d, ok := weekdayNames[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return 0, userErrorf(nil, "error.day", "{{.Value}} is not a weekday; write mon, tue, wed, thu, fri, sat or sun", map[string]any{"Value": s})
	}
	return d, nil
}

func cmdPlanAddSlot(e *env, args []string) error {
	fs := newFlags("plan add-slot")
	day := fs.String("day", "", "weekday: mon … sun")
	at := fs.String("time", "", "local time, 09:00")
	minutes := fs.Int("minutes", 30, "length in minutes")
	purpose := fs.String("purpose", "", "write, share, converse or follow")
	role := fs.String("role", "", "the role the slot serves")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *day == "" || *at == "" || *purpose == "" {
		return usagef("error.slot_flags", "--day, --time and --purpose are required")
	}
	s := planner.Slot{ID: planner.NewID(), Minutes: *minutes, Changed: e.now()}
	var err error
	if s.Weekday, err = parseWeekday(*day); err != nil {
		return err
	}
	if s.Start, err = planner.ParseClock(*at); err != nil {
		return err
	}
	if s.Purpose, err = planner.ParsePurpose(*purpose); err != nil {
		return err
	}
	if *role != "" {
		if s.Role, err = planner.ParseRole(*role); err != nil {
			return err
		}
	}
	plan, err := planner.ActivePlan(e.ctx, e.store, e.loc)
	if err != nil {
		return err
	}
	if err := plan.AddSlot(s); err != nil {
		return err
	}
	plan.Updated = e.now()
	if err := e.store.SavePlan(e.ctx, plan); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, s.ID)
	return nil
}

func cmdPlanRemoveSlot(e *env, args []string) error {
	fs := newFlags("plan remove-slot")
	if err := fs.Parse(args); err != nil {
		return usageError{"kaiku plan remove-slot: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usagef("error.slot_id", "give the ID of one slot; 'kaiku plan slots' lists them")
	}
	plan, err := planner.ActivePlan(e.ctx, e.store, e.loc)
	if err != nil {
		return err
	}
	id := fs.Arg(0)
	if err := plan.RemoveSlot(id); err != nil {
		if errors.Is(err, planner.ErrNotFound) {
			return userErrorf(err, "error.no_slot", "there is no slot {{.ID}}; 'kaiku plan slots' lists them", map[string]any{"ID": id})
		}
		return err
	}
	plan.Updated = e.now()
	return e.store.SavePlan(e.ctx, plan)
}

func cmdPlanSlots(e *env, args []string) error {
	fs := newFlags("plan slots")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	plan, err := planner.ActivePlan(e.ctx, e.store, e.loc)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, plan)
	}
	if len(plan.Slots) == 0 {
		fmt.Fprintln(e.stdout, tr("cli.no_slots", "No slots yet. Add one with 'kaiku plan add-slot' or answer 'kaiku role questions'."))
		return nil
	}
	fmt.Fprintln(e.stdout, tr("cli.plan_zone", "Time zone: {{.Zone}}", map[string]any{"Zone": plan.TimeZone}))
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", tr("cli.col.id", "ID"), tr("cli.col.day", "DAY"), tr("cli.col.time", "TIME"),
		tr("cli.col.minutes", "MINUTES"), tr("cli.col.purpose", "PURPOSE"), tr("cli.col.role", "ROLE"))
	for _, s := range plan.Slots {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", termSafe(s.ID), weekdayShort(s.Weekday), s.Start, s.Minutes, purposeName(s.Purpose), roleName(s.Role))
	}
	return w.Flush()
}

// weekData is what `kaiku plan` shows of one week.
type weekData struct {
	Week        string           `json:"week"`
	Start       time.Time        `json:"start"`
	End         time.Time        `json:"end"`
	Occurrences []occurrenceJSON `json:"occurrences"`
	Posts       []postJSON       `json:"posts"`
	// Busy is the work calendars' busy time that overlaps the week.
	Busy    []planner.BusyInterval `json:"busy"`
	Review  planner.WeekReview     `json:"review"`
	Profile *planner.RoleProfile   `json:"profile,omitempty"`
	// TimeNotes say where a slot went whose clock time the week skips.
	TimeNotes []planner.TimeNote `json:"time_notes,omitempty"`
}

type occurrenceJSON struct {
	planner.Occurrence
	PostIDs []string `json:"post_ids,omitempty"`
}

func loadWeek(ctx context.Context, e *env, start time.Time) (weekData, error) {
	w, err := planner.LoadWeek(ctx, e.store, start, e.loc, e.now())
	wd := weekData{Week: planner.ISOWeekString(start), Start: start, End: start.AddDate(0, 0, 7), Occurrences: []occurrenceJSON{}, Posts: []postJSON{},
		Busy: w.Busy, Review: w.Review, Profile: w.Profile, TimeNotes: w.TimeNotes}
	if err != nil {
		return wd, err
	}
	byOcc := map[string][]string{}
	for _, p := range w.Posts {
		if p.OccurrenceID != "" {
			byOcc[p.OccurrenceID] = append(byOcc[p.OccurrenceID], p.ID)
		}
		wd.Posts = append(wd.Posts, toJSON(p, e.loc))
	}
	for _, o := range w.Occurrences {
		wd.Occurrences = append(wd.Occurrences, occurrenceJSON{Occurrence: o, PostIDs: byOcc[o.ID]})
	}
	return wd, nil
}

func cmdPlan(e *env, args []string) error {
	fs := newFlags("plan")
	week := fs.String("week", "", "ISO week, 2026-W49; default this week")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	start := planner.WeekStart(e.now(), e.loc)
	if *week != "" {
		var err error
		if start, err = planner.ParseISOWeek(*week, e.loc); err != nil {
			return err
		}
	}
	wd, err := loadWeek(e.ctx, e, start)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, wd)
	}
	printWeek(e.stdout, e, wd)
	return nil
}

func printWeek(out io.Writer, e *env, wd weekData) {
	last := wd.End.AddDate(0, 0, -1)
	fmt.Fprintln(out, tr("cli.week_header", "Week {{.Week}}: {{.From}} – {{.To}}", map[string]any{
		"Week": wd.Week, "From": wd.Start.Format("2006-01-02"), "To": last.Format("2006-01-02")}))
	fmt.Fprintln(out)
	fmt.Fprintln(out, tr("cli.slots", "Slots"))
	if len(wd.Occurrences) == 0 {
		fmt.Fprintln(out, "  "+tr("cli.no_occurrences", "no slots this week"))
	}
	titles := map[string]string{}
	for _, p := range wd.Posts {
		titles[p.ID] = termSafe(ellipsis(strings.SplitN(p.Text, "\n", 2)[0], 50))
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, o := range wd.Occurrences {
		filled := "—"
		if len(o.PostIDs) > 0 {
			filled = titles[o.PostIDs[0]]
		}
		start := o.Start.In(e.loc)
		if o.Conflict {
			filled += "  " + tr("cli.conflict", "⚠ overlaps busy time")
		}
		fmt.Fprintf(w, "  %s %s\t%d min\t%s\t%s\t%s\n", weekdayShort(start.Weekday()), start.Format("2006-01-02 15:04"), o.Minutes, purposeName(o.Purpose), roleName(o.Role), filled)
	}
	w.Flush()
	for _, n := range wd.TimeNotes {
		fmt.Fprintln(out, "  • "+tr(n.Key, n.Key, n.Data))
	}
	if len(wd.Busy) > 0 {
		fmt.Fprintln(out)
		fmt.Fprintln(out, tr("cli.busy", "Busy in your work calendar"))
		for _, b := range wd.Busy {
			s, end := b.Start.In(e.loc), b.End.In(e.loc)
			line := "  " + weekdayShort(s.Weekday()) + " " + s.Format("2006-01-02 15:04") + " – "
			if end.YearDay() != s.YearDay() || end.Year() != s.Year() {
				line += weekdayShort(end.Weekday()) + " " + end.Format("2006-01-02 15:04")
			} else {
				line += end.Format("15:04")
			}
			if b.Tentative {
				line += "  " + tr("cli.tentative", "(tentative)")
			}
			fmt.Fprintln(out, line)
		}
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, tr("cli.posts", "Posts"))
	if len(wd.Posts) == 0 {
		fmt.Fprintln(out, "  "+tr("cli.no_posts", "No posts."))
	}
	w = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, p := range wd.Posts {
		fmt.Fprintf(w, "  %s\t%s\t%s\n", strings.Replace(p.Time[:16], "T", " ", 1), planner.StatusName(p.Status, tr), titles[p.ID])
	}
	w.Flush()
	fmt.Fprintln(out)
	r := wd.Review
	fmt.Fprintln(out, tr("cli.review", "Review"))
	for _, pr := range r.Purposes {
		fmt.Fprintf(out, "  %-14s %s\n", tr(pr.NameKey, string(pr.Purpose)), tr("cli.review_purpose", "{{.Filled}}/{{.Slots}} slots filled, {{.Done}} published, {{.Actual}} % of the mix (target {{.Target}} %)",
			map[string]any{"Filled": pr.Filled, "Slots": pr.Slots, "Done": pr.Done, "Actual": pr.ActualPercent, "Target": pr.TargetPercent}))
	}
	fmt.Fprintln(out, "  "+tr("cli.review_time", "Time: {{.Used}} of {{.Planned}} planned minutes used; budget {{.Budget}} min",
		map[string]any{"Used": r.Time.UsedMinutes, "Planned": r.Time.PlannedMinutes, "Budget": r.Time.BudgetMinutes}))
	for _, g := range r.Goals {
		fmt.Fprintln(out, "  "+tr("cli.review_goal", "Goal “{{.Title}}”: {{.Posts}} posts, {{.Published}} published",
			map[string]any{"Title": termSafe(g.Title), "Posts": g.Posts, "Published": g.Published}))
	}
	for _, n := range r.Notes {
		fmt.Fprintln(out, "  • "+tr(n.Key, n.Key, n.Data))
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func weekdayShort(d time.Weekday) string { return planner.WeekdayShort(d, tr) }

func purposeName(p planner.Purpose) string { return planner.PurposeName(p, tr) }

func roleName(r planner.Role) string {
	if r == "" {
		return "—"
	}
	return planner.RoleName(r, tr)
}
