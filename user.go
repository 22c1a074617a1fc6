package concord

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Role is what a user may do in the registry.
type Role string

// The roles, each allowed everything the one before it is.
const (
	RoleViewer Role = "viewer" // reads
	RoleEditor Role = "editor" // reads and edits agreements and commitments, imports
	RoleAdmin  Role = "admin"  // also manages users and deletes records
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleViewer, RoleEditor, RoleAdmin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want viewer, editor or admin)", s)
}

func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// User is an account of the registry. Its password and tokens are kept only as hashes.
type User struct {
	Name     string    `json:"name"`     // login name
	Role     Role      `json:"role"`     // what the user may do
	Disabled bool      `json:"disabled"` // a disabled user can neither log in nor act
	Created  time.Time `json:"created"`  // when the account was created
}

// Action is a kind of operation [Authorize] decides on.
type Action string

// The actions of the registry.
const (
	ActionRead        Action = "read"         // read agreements, commitments, history
	ActionWrite       Action = "write"        // create and update agreements and commitments, import
	ActionDelete      Action = "delete"       // delete agreements and commitments
	ActionManageUsers Action = "manage-users" // create users, change roles, passwords and other users' tokens
)

// Authorize decides whether user u may perform action; every write of a
// registry store goes through it. A user with no name is unauthenticated
// ([ErrUnauthorized]); a disabled user or one whose role is too low gets
// [ErrForbidden]. Viewers may read; editors may also write; admins may do
// everything.
func Authorize(u User, action Action) error {
	if u.Name == "" {
		return ErrUnauthorized
	}
	if u.Disabled {
		return fmt.Errorf("%w: user %s is disabled", ErrForbidden, u.Name)
	}
	need := RoleAdmin
	switch action {
	case ActionRead:
		need = RoleViewer
	case ActionWrite:
		need = RoleEditor
	case ActionDelete, ActionManageUsers:
		need = RoleAdmin
	default:
		return fmt.Errorf("%w: unknown action %q", ErrForbidden, action)
	}
	if u.Role.rank() < need.rank() {
		return fmt.Errorf("%w: %s needs role %s, user %s is %s", ErrForbidden, action, need, u.Name, u.Role)
	}
	return nil
}

// Token is an API token's record; the secret itself is shown once, when created, and only its hash is stored.
type Token struct {
	ID       string    `json:"id"`        // first 12 hex digits of the secret's hash: names the token without revealing it
	User     string    `json:"user"`      // owner
	Label    string    `json:"label"`     // what it is for
	Created  time.Time `json:"created"`   // when it was created
	LastUsed time.Time `json:"last_used"` // when it last authenticated, zero if never
}

// UserStore keeps user accounts and API tokens. Writes are made by a user
// and authorised with [Authorize] (ActionManageUsers), except that the very
// first user may be created by anyone (and is then an admin), and every user
// may change their own password and tokens.
type UserStore interface {
	// CreateUser adds a user with a password (hashed with bcrypt before storing).
	CreateUser(ctx context.Context, by User, name string, role Role, password string) (User, error)
	// User returns one user, or [ErrNotFound].
	User(ctx context.Context, name string) (User, error)
	// Users returns every user by name.
	Users(ctx context.Context) ([]User, error)
	// SetRole changes a user's role.
	SetRole(ctx context.Context, by User, name string, role Role) error
	// SetDisabled disables or enables a user.
	SetDisabled(ctx context.Context, by User, name string, disabled bool) error
	// SetPassword changes a user's password.
	SetPassword(ctx context.Context, by User, name, password string) error
	// Authenticate returns the user with this name and password, or [ErrUnauthorized].
	Authenticate(ctx context.Context, name, password string) (User, error)
	// CreateToken makes an API token for a user and returns its secret (shown only now) and record.
	CreateToken(ctx context.Context, by User, name, label string) (secret string, t Token, err error)
	// Tokens lists a user's tokens.
	Tokens(ctx context.Context, name string) ([]Token, error)
	// RevokeToken deletes a token by ID.
	RevokeToken(ctx context.Context, by User, name, id string) error
	// TokenUser returns the user a token secret belongs to, or [ErrUnauthorized].
	TokenUser(ctx context.Context, secret string) (User, error)
	// CreateSession starts a login session of an existing, enabled user for ttl and
	// returns its secret (for a cookie; only its hash is stored) and its CSRF token.
	CreateSession(ctx context.Context, name string, ttl time.Duration) (secret, csrf string, err error)
	// SessionUser returns the user and CSRF token of a live session, or [ErrUnauthorized].
	SessionUser(ctx context.Context, secret string) (u User, csrf string, err error)
	// DeleteSession ends a session (logout); ending an unknown one is no error.
	DeleteSession(ctx context.Context, secret string) error
}

// CheckCSRF reports, in constant time, whether the CSRF token a request sent matches its session's.
func CheckCSRF(want, got string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// CheckUserName checks a login name: 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.
func CheckUserName(name string) error {
	if !userName.MatchString(name) {
		return fmt.Errorf("user name %q: want 1–64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit", name)
	}
	return nil
}

// MinPasswordLength is the fewest characters a password may have.
const MinPasswordLength = 8

// HashPassword returns the bcrypt hash (cost 10) of a password of at least [MinPasswordLength] characters.
func HashPassword(pw string) (string, error) {
	if len([]rune(pw)) < MinPasswordLength {
		return "", fmt.Errorf("password: at least %d characters", MinPasswordLength)
	}
	if len(pw) > 72 {
		return "", fmt.Errorf("password: at most 72 bytes (bcrypt's limit)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// CheckPassword reports whether pw matches a hash made by [HashPassword].
func CheckPassword(hash, pw string) bool {
	return hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// TokenPrefix starts every API token secret, so leaked tokens are easy to find.
const TokenPrefix = "cct_"

// NewTokenSecret returns a fresh random token secret (256 bits) and its hash as stored.
func NewTokenSecret() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken returns the hex SHA-256 of a token secret; tokens are random, so a fast hash is enough.
func HashToken(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
