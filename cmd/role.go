package cmd

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/kaiku-app/kaiku/planner"
)

// questionJSON is a question as `role questions --json` prints it, translated.
type questionJSON struct {
	ID      string       `json:"id"`
	Text    string       `json:"text"`
	Hint    string       `json:"hint,omitempty"`
	Kind    string       `json:"kind"`
	Options []optionJSON `json:"options"`
}

type optionJSON struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func cmdRoleQuestions(e *env, args []string) error {
	fs := newFlags("role questions")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var qs []questionJSON
	for _, q := range planner.Questions() {
		j := questionJSON{ID: q.ID, Text: tr(q.TextKey, q.TextKey), Kind: string(q.Kind)}
		if q.HintKey != "" {
			j.Hint = tr(q.HintKey, q.HintKey)
		}
		for _, o := range q.Options {
			j.Options = append(j.Options, optionJSON{ID: o.ID, Text: tr(o.TextKey, o.TextKey)})
		}
		qs = append(qs, j)
	}
	if *asJSON {
		return writeJSON(e.stdout, qs)
	}
	for i, q := range qs {
		fmt.Fprintf(e.stdout, "%d. %s  [%s]\n", i+1, q.Text, q.ID)
		if q.Hint != "" {
			fmt.Fprintf(e.stdout, "   %s\n", q.Hint)
		}
		for _, o := range q.Options {
			fmt.Fprintf(e.stdout, "   - %s: %s\n", o.ID, o.Text)
		}
	}
	fmt.Fprintln(e.stdout)
	fmt.Fprintln(e.stdout, tr("cli.answers_hint", `Answer in a JSON file, {"question-id": ["option-id"]}, and run 'kaiku role apply --answers FILE'.`))
	return nil
}

func cmdRoleApply(e *env, args []string) error {
	fs := newFlags("role apply")
	file := fs.String("answers", "", "a JSON file of answers")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *file == "" {
		return usagef("error.answers_required", "--answers FILE is required")
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return userErrorf(err, "error.read_file", "cannot read {{.File}}: {{.Err}}", map[string]any{"File": *file, "Err": err})
	}
	var answers planner.Answers
	if err := json.Unmarshal(b, &answers); err != nil {
		return userErrorf(err, "error.answers_json", `{{.File}} is not an answers file: write {"question-id": ["option-id"]}`, map[string]any{"File": *file})
	}
	if err := answers.Validate(); err != nil {
		return err
	}
	rec := planner.RecommendRoles(answers)
	plan, err := planner.UseRecommendation(e.ctx, e.store, rec, e.loc, e.now())
	if err != nil {
		return err
	}
	// The organization's goals among the answers become the user's goals, as in the window.
	if _, err := planner.AddAnsweredGoals(e.ctx, e.store, answers, tr, e.now()); err != nil {
		return err
	}
	profile := rec.Profile
	if *asJSON {
		return writeJSON(e.stdout, struct {
			Recommendation planner.Recommendation `json:"recommendation"`
			Plan           planner.SlotPlan       `json:"plan"`
		}{rec, plan})
	}
	fmt.Fprintln(e.stdout, tr("cli.role_result", "Your roles: {{.Primary}} first, then {{.Secondary}}.",
		map[string]any{"Primary": roleName(profile.Primary), "Secondary": roleName(profile.Secondary)}))
	for _, rs := range rec.Ranking {
		fmt.Fprintf(e.stdout, "  %-28s %3d\n", roleName(rs.Role), rs.Score)
		for _, r := range rs.Reasons {
			if r.Points > 0 {
				fmt.Fprintf(e.stdout, "      + %s\n", tr(r.Key, r.Key, r.Data))
			}
		}
	}
	fmt.Fprintln(e.stdout, tr("cli.role_mix", "Mix: {{.Own}} % own, {{.Shared}} % shared, {{.Conv}} % conversation; {{.Minutes}} minutes a week.",
		map[string]any{"Own": profile.Mix.Own, "Shared": profile.Mix.Shared, "Conv": profile.Mix.Conversation, "Minutes": profile.WeeklyMinutes}))
	for _, n := range rec.Notes {
		fmt.Fprintln(e.stdout, "  • "+tr(n.Key, n.Key, n.Data))
	}
	fmt.Fprintln(e.stdout)
	return cmdPlanSlots(e, nil)
}
