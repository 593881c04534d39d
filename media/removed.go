package media

import "bytes"

// Removed says which kinds of detail preparing an image took out of its
// file, so that the composer can say it once ("location and camera details
// removed"). Preparing removes them all whatever they are; this only tells.
type Removed struct {
	// Location: where the photo was taken (EXIF GPS, XMP's GPS, city or country fields).
	Location bool
	// Camera: the camera's and lens's make, model and serial numbers, its
	// owner's name, the maker's private notes.
	Camera bool
	// Other: dates, the program that saved it, comments, titles, thumbnails,
	// the extra pictures phones append, text chunks.
	Other bool
}

// Any reports whether anything was removed.
func (r Removed) Any() bool { return r.Location || r.Camera || r.Other }

func (r Removed) with(o Removed) Removed {
	return Removed{Location: r.Location || o.Location, Camera: r.Camera || o.Camera, Other: r.Other || o.Other}
}

// Message is the sentence the composer shows once after attaching: a
// translation key and its English (lang.X(key, fallback)); both empty when
// nothing was removed.
func (r Removed) Message() (key, fallback string) {
	switch {
	case r.Location && r.Camera:
		return "image.removed.location_camera", "Location and camera details removed from the image."
	case r.Location:
		return "image.removed.location", "Location removed from the image."
	case r.Camera:
		return "image.removed.camera", "Camera details removed from the image."
	case r.Other:
		return "image.removed.other", "Hidden details (dates, comments) removed from the image."
	}
	return "", ""
}

// XMP property names (any namespace prefix) that tell where or with what.
var (
	xmpLocation = [][]byte{[]byte("GPSLatitude"), []byte("GPSLongitude"), []byte("GPSAltitude"),
		[]byte(":City"), []byte(":Country"), []byte(":State"), []byte(":Location"), []byte("LocationCreated"), []byte("LocationShown")}
	xmpCamera = [][]byte{[]byte(":Make"), []byte(":Model"), []byte("SerialNumber"), []byte(":Lens"), []byte("CameraOwnerName")}
)

// scanXMP tells what an XMP packet (or a text chunk holding one) holds.
func scanXMP(b []byte) Removed {
	r := Removed{Other: true}
	for _, p := range xmpLocation {
		if bytes.Contains(b, p) {
			r.Location = true
			break
		}
	}
	for _, p := range xmpCamera {
		if bytes.Contains(b, p) {
			r.Camera = true
			break
		}
	}
	return r
}
