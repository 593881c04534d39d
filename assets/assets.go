// Package assets holds what Kaiku embeds: the app icon and the translations.
package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kaiku-app/kaiku/internal/plainlocale"
)

//go:embed translations
var translations embed.FS

// icon-128.png is icon.png scaled down: the window manager shows the icon at
// 48 px at most, and decoding and sending a 512 px icon to X took about 18 ms
// of every start. icon.png stays the packaging icon (FyneApp.toml).
//
//go:embed icon-128.png
var iconPNG []byte

// Icon is Kaiku's app and window icon.
var Icon fyne.Resource = fyne.NewStaticResource("kaiku.png", iconPNG)

// Languages are the languages Kaiku speaks, the default first.
var Languages = []string{"en", "fi"}

// Translations returns the raw JSON of one language's translations.
func Translations(code string) ([]byte, error) {
	return translations.ReadFile("translations/" + code + ".json")
}

// Keys returns the translation keys of one language.
func Keys(code string) (map[string]string, error) {
	b, err := Translations(code)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("translations %s: %w", code, err)
	}
	return m, nil
}

// LoadTranslations registers Kaiku's translations with Fyne's lang package.
// An empty language follows the system locale; "fi" or "en" overrides it.
func LoadTranslations(code string) error {
	if code != "" {
		if !Supported(code) {
			return fmt.Errorf("unsupported language %q", code)
		}
		force(code)
	} else if systemEnv != nil {
		// Back to the system's language after a forced one.
		for k, v := range systemEnv {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	} else if plainlocale.IsC() && os.Getenv("LANGUAGE") == "" {
		// The C locale means "no localisation": English, said plainly.
		os.Setenv("LANGUAGE", "en")
	}
	// A chosen language needs only its own texts; the system's may be
	// either. Each file is parsed once: a start spent some 15 ms on each.
	need := Languages
	if code != "" {
		need = []string{code}
	}
	added := false
	for _, l := range need {
		if registered[l] {
			continue
		}
		b, err := Translations(l)
		if err == nil {
			err = lang.AddTranslationsForLocale(b, fyne.Locale(l))
		}
		if err != nil {
			return fmt.Errorf("translations %s: %w", l, err)
		}
		registered[l] = true
		added = true
	}
	if !added {
		// Fyne's lang picks the language anew whenever translations are
		// added: adding none is how to have it pick without parsing again.
		return lang.AddTranslationsForLocale([]byte("{}"), "en")
	}
	return nil
}

// registered are the languages whose texts are in Fyne's lang.
var registered = map[string]bool{}

// Supported reports whether Kaiku has translations for code.
func Supported(code string) bool {
	for _, l := range Languages {
		if l == code {
			return true
		}
	}
	return false
}

// systemEnv is the locale's environment as it was before the first force,
// nil for a variable that was unset: a language chosen while Kaiku runs
// can go back to the system's.
var systemEnv map[string]*string

// force makes code the preferred language. Fyne's lang follows the system
// locale: on Linux and the BSDs it reads LANGUAGE (and Fyne's own strings
// follow too); elsewhere it asks the OS, so the chosen language's texts are
// also registered under the system locale's tag.
func force(code string) {
	if systemEnv == nil {
		systemEnv = map[string]*string{}
		for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
			if v, ok := os.LookupEnv(k); ok {
				systemEnv[k] = &v
			} else {
				systemEnv[k] = nil
			}
		}
	}
	// LANGUAGE counts only when the locale is not C or POSIX.
	for _, k := range []string{"LC_ALL", "LC_MESSAGES"} {
		if v := os.Getenv(k); v == "C" || v == "POSIX" {
			os.Unsetenv(k)
		}
	}
	if os.Getenv("LC_ALL") == "" && os.Getenv("LC_MESSAGES") == "" {
		if v := os.Getenv("LANG"); v == "" || v == "C" || v == "POSIX" {
			os.Setenv("LC_MESSAGES", code)
		}
	}
	os.Setenv("LANGUAGE", code)
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		sys := lang.SystemLocale()
		if !strings.HasPrefix(string(sys), code) {
			if b, err := Translations(code); err == nil {
				_ = lang.AddTranslationsForLocale(b, fyne.Locale(sys.LanguageString()))
			}
		}
	}
}

// Current returns the language in use, "fi" or "en".
func Current() string {
	if strings.HasPrefix(lang.X("lang.code", "en"), "fi") {
		return "fi"
	}
	return "en"
}
