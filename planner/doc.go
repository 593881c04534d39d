// Package planner is Kaiku's domain: goals, roles, the role profile, the weekly
// slot plan, posts and their life cycle, and the settings. It is pure Go: it
// imports neither Fyne nor Badger nor HTTP. It defines the small interfaces
// (Store) that the storage package implements.
package planner
