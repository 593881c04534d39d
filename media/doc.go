// Package media prepares the images a post carries: it reads JPEG, PNG, GIF
// and WebP files, refuses anything else and broken files, turns a photo
// upright by its EXIF orientation, and removes what a file tells beyond its
// pixels (the place a photo was taken, the camera's serial number, dates,
// comments), keeping the colour profile that makes its colours right. Fit
// then makes a prepared image fit one network's limits, scaling it down and
// encoding it again only when a limit asks for it.
//
// It is pure Go over byte slices: no files, no network, no store. Decoding
// uses the standard library and golang.org/x/image (webp, draw); the EXIF
// reader is this package's own, as small as reading the orientation needs.
package media
