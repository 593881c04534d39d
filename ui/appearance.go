package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// prefTheme keeps the chosen appearance on this computer, beside the
// window's size: one screen may be dark and another light.
const prefTheme = "appearance.theme"

// The appearances the settings offer; the empty one follows the system.
const (
	appearanceSystem = ""
	appearanceLight  = "light"
	appearanceDark   = "dark"
)

var appearances = []string{appearanceSystem, appearanceLight, appearanceDark}

// variantTheme is Fyne's theme held to one variant whatever the system
// prefers.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// themeFor is the theme of an appearance.
func themeFor(appearance string) fyne.Theme {
	switch appearance {
	case appearanceLight:
		return variantTheme{theme.DefaultTheme(), theme.VariantLight}
	case appearanceDark:
		return variantTheme{theme.DefaultTheme(), theme.VariantDark}
	}
	return theme.DefaultTheme()
}

// UseSavedAppearance shows the app in the appearance chosen on this
// computer. NewWindow does it, unless the text faces are loading (see
// Deps.TextReady): loading them reads the theme, so the start sets it
// before it begins.
func UseSavedAppearance(a fyne.App) {
	a.Settings().SetTheme(themeFor(savedAppearance(a)))
}

// savedAppearance is the appearance chosen on this computer.
func savedAppearance(a fyne.App) string {
	v := a.Preferences().StringWithFallback(prefTheme, appearanceSystem)
	for _, x := range appearances {
		if v == x {
			return v
		}
	}
	return appearanceSystem
}

// applyAppearance shows the app in appearance and remembers it; the
// widgets repaint themselves when the theme changes.
func applyAppearance(a fyne.App, appearance string) {
	a.Preferences().SetString(prefTheme, appearance)
	a.Settings().SetTheme(themeFor(appearance))
}
