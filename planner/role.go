package planner

// Role is one of the six ways an expert can show up on social media for their
// organization. The texts that describe each role live in the translations,
// under the keys "role.<role>.*".
type Role string

// The six roles.
const (
	RoleInforming      Role = "informing"       // tells what the organization and field are doing
	RoleAdvising       Role = "advising"        // answers questions, gives practical guidance
	RoleCurrentAffairs Role = "current-affairs" // takes part in the debate of the day
	RoleCollaboration  Role = "collaboration"   // works in the open with partners
	RoleNetworking     Role = "networking"      // connects people and builds networks
	RoleInterests      Role = "interests"       // shares content on own professional interests
)

// Roles lists the six roles in their canonical order.
func Roles() []Role {
	return []Role{RoleInforming, RoleAdvising, RoleCurrentAffairs, RoleCollaboration, RoleNetworking, RoleInterests}
}

// Valid reports whether r is one of the six roles.
func (r Role) Valid() bool {
	for _, x := range Roles() {
		if r == x {
			return true
		}
	}
	return false
}

// ParseRole reads a role's name as written in files and on the command line.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", invalid("role", "error.role", "unknown role "+s)
	}
	return r, nil
}

// Purpose is what a slot or a post is for.
type Purpose string

// The purposes of slots and posts.
const (
	PurposeWrite    Purpose = "write"    // own content
	PurposeShare    Purpose = "share"    // others' content with a comment
	PurposeConverse Purpose = "converse" // replies, debate, conversation
	PurposeFollow   Purpose = "follow"   // reading and following; no post of its own
)

// Purposes lists the purposes in their canonical order.
func Purposes() []Purpose {
	return []Purpose{PurposeWrite, PurposeShare, PurposeConverse, PurposeFollow}
}

// Valid reports whether p is a known purpose.
func (p Purpose) Valid() bool {
	for _, x := range Purposes() {
		if p == x {
			return true
		}
	}
	return false
}

// ParsePurpose reads a purpose's name.
func ParsePurpose(s string) (Purpose, error) {
	p := Purpose(s)
	if !p.Valid() {
		return "", invalid("purpose", "error.purpose", "unknown purpose "+s)
	}
	return p, nil
}

// Network is a social network Kaiku knows the text rules of.
type Network string

// The networks.
const (
	NetworkX        Network = "x"
	NetworkMastodon Network = "mastodon"
	NetworkBluesky  Network = "bluesky"
	NetworkLinkedIn Network = "linkedin"
)

// Networks lists the known networks.
func Networks() []Network {
	return []Network{NetworkX, NetworkMastodon, NetworkBluesky, NetworkLinkedIn}
}

// Valid reports whether n is a known network.
func (n Network) Valid() bool {
	for _, x := range Networks() {
		if n == x {
			return true
		}
	}
	return false
}

// ParseNetwork reads a network's name.
func ParseNetwork(s string) (Network, error) {
	n := Network(s)
	if !n.Valid() {
		return "", invalid("network", "error.network", "unknown network "+s)
	}
	return n, nil
}
