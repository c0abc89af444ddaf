package anonymity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"strconv"

	gs "github.com/groundswell/groundswell/internal/groundswell"
)

var adjectives = []string{
	"Amber", "Ash", "Autumn", "Birch", "Bold", "Brave", "Bright", "Brisk", "Calm", "Candid",
	"Cedar", "Clear", "Clever", "Coral", "Cosy", "Crisp", "Dawn", "Deft", "Eager", "Early",
	"Even", "Fair", "Fern", "Firm", "Frank", "Fresh", "Gentle", "Glad", "Golden", "Green",
	"Hardy", "Hazel", "Honest", "Humble", "Ivory", "Jade", "Keen", "Kind", "Lively", "Loyal",
	"Lucid", "Maple", "Mellow", "Merry", "Misty", "Modest", "Moss", "Nimble", "Noble", "Oak",
	"Open", "Patient", "Plain", "Polite", "Proud", "Quick", "Quiet", "Rapid", "Ready", "Robin",
	"Rowan", "Ruby", "Sage", "Sandy", "Sharp", "Silver", "Sincere", "Slate", "Snowy", "Solid",
	"Spruce", "Steady", "Stone", "Sunny", "Swift", "Tidy", "True", "Valiant", "Warm", "Willow",
	"Wise", "Witty", "Young", "Zesty",
}

var animals = []string{
	"Badger", "Bear", "Beaver", "Bison", "Crane", "Curlew", "Deer", "Dolphin", "Dove", "Eagle",
	"Egret", "Falcon", "Finch", "Fox", "Gannet", "Gecko", "Goose", "Grebe", "Hare", "Hawk",
	"Hedgehog", "Heron", "Ibis", "Jay", "Kestrel", "Kingfisher", "Kite", "Lark", "Linnet", "Lynx",
	"Magpie", "Marten", "Merlin", "Mole", "Moth", "Newt", "Nightjar", "Osprey", "Otter", "Owl",
	"Panda", "Petrel", "Pika", "Plover", "Puffin", "Quail", "Rabbit", "Raven", "Robin", "Salmon",
	"Seal", "Shrew", "Skylark", "Sparrow", "Squirrel", "Starling", "Stoat", "Swallow", "Swan", "Swift",
	"Tern", "Thrush", "Toad", "Trout", "Vole", "Wagtail", "Walrus", "Warbler", "Weasel", "Whale",
	"Wolf", "Wren", "Yak", "Zebra",
}

// Pseudonym returns the readable name a participant carries inside one challenge, derived from
// their stored token hash with a secret key: stable for them, unlinkable across challenges, and
// meaningless to anyone holding only the database. attempt picks another name when the first
// collides with someone else's in the same challenge; from the fourth attempt a number is added.
func (k *Keys) Pseudonym(tokenHash gs.TokenHash, challengeID int64, attempt int) string {
	m := hmac.New(sha256.New, k.PseudonymKey)
	m.Write([]byte(tokenHash))
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], uint64(challengeID))
	binary.BigEndian.PutUint64(buf[8:], uint64(attempt))
	m.Write(buf[:])
	sum := m.Sum(nil)
	a := binary.BigEndian.Uint32(sum[0:4])
	b := binary.BigEndian.Uint32(sum[4:8])
	name := adjectives[a%uint32(len(adjectives))] + " " + animals[b%uint32(len(animals))]
	if attempt >= 3 {
		n := binary.BigEndian.Uint32(sum[8:12])%900 + 100
		name += " " + strconv.Itoa(int(n))
	}
	return name
}
