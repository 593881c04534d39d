package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/BurntSushi/toml"

	"github.com/kaiku-app/kaiku/assets"
)

// about is what Kaiku says of itself: its name and version as FyneApp.toml
// states them, and the commit and Go version the binary was built from.
type about struct {
	Name       string          `json:"name"`
	ID         string          `json:"id"`
	Version    string          `json:"version"`
	Build      int             `json:"build"`
	Migrations map[string]bool `json:"-"`
	// Commit and Modified are known when Go built the binary from a
	// checkout (go build, go install at a commit); empty otherwise.
	Commit   string `json:"commit,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
}

// fyneAppFile is the part of FyneApp.toml Kaiku reads; `fyne package` reads the rest.
type fyneAppFile struct {
	Details struct {
		Name    string
		ID      string
		Version string
		Build   int
	}
	Migrations map[string]bool
}

// readAbout reads FyneApp.toml's text and what Go recorded of the build.
func readAbout(fyneApp []byte, build *debug.BuildInfo) (about, error) {
	var f fyneAppFile
	if _, err := toml.Decode(string(fyneApp), &f); err != nil {
		return about{}, fmt.Errorf("read FyneApp.toml: %w", err)
	}
	if f.Details.Name == "" || f.Details.ID == "" || f.Details.Version == "" {
		return about{}, fmt.Errorf("read FyneApp.toml: Name, ID and Version are required in [Details]")
	}
	a := about{
		Name: f.Details.Name, ID: f.Details.ID, Version: f.Details.Version, Build: f.Details.Build,
		Migrations: f.Migrations, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH,
	}
	if build != nil {
		for _, s := range build.Settings {
			switch s.Key {
			case "vcs.revision":
				a.Commit = s.Value
			case "vcs.modified":
				a.Modified = s.Value == "true"
			}
		}
	}
	return a, nil
}

// buildInfo is the running binary's build information, or nil.
func buildInfo() *debug.BuildInfo {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return info
}

// text is what `kaiku version` prints and the About box shows.
func (a about) text() string {
	lines := []string{tr("version.line", "{{.Name}} {{.Version}} (build {{.Build}})", map[string]any{"Name": a.Name, "Version": a.Version, "Build": a.Build})}
	if a.Commit != "" {
		commit := a.Commit
		if len(commit) > 12 {
			commit = commit[:12]
		}
		if a.Modified {
			lines = append(lines, tr("version.commit_modified", "commit {{.Commit}}, with changes not yet committed", map[string]any{"Commit": commit}))
		} else {
			lines = append(lines, tr("version.commit", "commit {{.Commit}}", map[string]any{"Commit": commit}))
		}
	}
	lines = append(lines, a.Go+" "+a.OS+"/"+a.Arch)
	return strings.Join(lines, "\n")
}

// metadata is the app's metadata as Fyne wants it. A binary that `fyne
// package` did not build carries none of its own, so Kaiku hands Fyne this
// before the app starts: with it, a build without the migrated_fynedo tag
// also runs with fyneDo migrated, as FyneApp.toml says.
func (a about) metadata() fyne.AppMetadata {
	return fyne.AppMetadata{ID: a.ID, Name: a.Name, Version: a.Version, Build: a.Build, Icon: assets.Icon, Migrations: a.Migrations}
}

// cmdVersion prints the version, the commit and the Go version.
func cmdVersion(e *env, args []string) error {
	fs := newFlags("version")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return printVersion(e.stdout, e.about, *asJSON)
}

func printVersion(w io.Writer, a about, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	}
	_, err := fmt.Fprintln(w, a.text())
	return err
}
