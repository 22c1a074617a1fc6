package regsql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	concord "github.com/concord-project/concord"
)

func scanUser(sc interface{ Scan(...any) error }) (concord.User, string, error) {
	var u concord.User
	var hash, created string
	var dis int
	err := sc.Scan(&u.Name, &u.Role, &hash, &dis, &created)
	u.Disabled, u.Created = dis != 0, parseTS(created)
	return u, hash, err
}

func (s *Store) getUser(ctx context.Context, db querier, name string) (concord.User, string, error) {
	u, h, err := scanUser(db.QueryRowContext(ctx, s.q(`SELECT name, role, password_hash, disabled, created_at FROM users WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, "", fmt.Errorf("user %s: %w", name, concord.ErrNotFound)
	}
	return u, h, err
}

// User returns one user, or concord.ErrNotFound.
func (s *Store) User(ctx context.Context, name string) (concord.User, error) {
	u, _, err := s.getUser(ctx, s.db, name)
	return u, err
}

// Users returns every user by name.
func (s *Store) Users(ctx context.Context) ([]concord.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, role, password_hash, disabled, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var us []concord.User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

// CreateUser adds a user with a bcrypt-hashed password. The first user of an
// empty store may be created by anyone and is always an admin; later ones
// need an admin.
func (s *Store) CreateUser(ctx context.Context, by concord.User, name string, role concord.Role, password string) (concord.User, error) {
	if err := concord.CheckUserName(name); err != nil {
		return concord.User{}, err
	}
	if _, err := concord.ParseRole(string(role)); err != nil {
		return concord.User{}, err
	}
	hash, err := concord.HashPassword(password)
	if err != nil {
		return concord.User{}, err
	}
	u := concord.User{Name: name, Role: role, Created: s.now()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			u.Role = concord.RoleAdmin
			if by.Name == "" {
				by = u
			}
		} else if err := concord.Authorize(by, concord.ActionManageUsers); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO users (name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, 0, ?)`), u.Name, string(u.Role), hash, ts(u.Created))
		if isUnique(err) {
			return fmt.Errorf("user %s: %w", name, concord.ErrExists)
		}
		if err != nil {
			return err
		}
		return s.record(ctx, tx, by, u.Created, "user", u.Name, "create", 1, nil, u)
	})
	return u, err
}

// changeUser applies fn to a stored user and records the change; fn returns the SQL update and its arguments.
func (s *Store) changeUser(ctx context.Context, by concord.User, name string, self bool, fn func(u *concord.User) (string, []any)) error {
	if !(self && by.Name == name && !by.Disabled) {
		if err := concord.Authorize(by, concord.ActionManageUsers); err != nil {
			return err
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, _, err := s.getUser(ctx, tx, name)
		if err != nil {
			return err
		}
		u := old
		query, args := fn(&u)
		if _, err := tx.ExecContext(ctx, s.q(query), append(args, name)...); err != nil {
			return err
		}
		return s.record(ctx, tx, by, s.now(), "user", name, "update", 0, old, u)
	})
}

// SetRole changes a user's role (admins only).
func (s *Store) SetRole(ctx context.Context, by concord.User, name string, role concord.Role) error {
	if _, err := concord.ParseRole(string(role)); err != nil {
		return err
	}
	return s.changeUser(ctx, by, name, false, func(u *concord.User) (string, []any) {
		u.Role = role
		return `UPDATE users SET role = ? WHERE name = ?`, []any{string(role)}
	})
}

// SetDisabled disables or enables a user (admins only).
func (s *Store) SetDisabled(ctx context.Context, by concord.User, name string, disabled bool) error {
	return s.changeUser(ctx, by, name, false, func(u *concord.User) (string, []any) {
		u.Disabled = disabled
		return `UPDATE users SET disabled = ? WHERE name = ?`, []any{b2i(disabled)}
	})
}

// SetPassword changes a user's password (the user themself or an admin).
func (s *Store) SetPassword(ctx context.Context, by concord.User, name, password string) error {
	hash, err := concord.HashPassword(password)
	if err != nil {
		return err
	}
	return s.changeUser(ctx, by, name, true, func(u *concord.User) (string, []any) {
		return `UPDATE users SET password_hash = ? WHERE name = ?`, []any{hash}
	})
}

// Authenticate returns the user with this name and password, or concord.ErrUnauthorized.
func (s *Store) Authenticate(ctx context.Context, name, password string) (concord.User, error) {
	u, hash, err := s.getUser(ctx, s.db, name)
	if errors.Is(err, concord.ErrNotFound) {
		concord.CheckPassword("$2a$10$0000000000000000000000000000000000000000000000000000.", password) // same work as a real check
		return concord.User{}, concord.ErrUnauthorized
	}
	if err != nil {
		return concord.User{}, err
	}
	if u.Disabled || !concord.CheckPassword(hash, password) {
		return concord.User{}, concord.ErrUnauthorized
	}
	return u, nil
}

// CreateToken makes an API token for a user (the user themself or an admin) and returns its secret, shown only now.
func (s *Store) CreateToken(ctx context.Context, by concord.User, name, label string) (string, concord.Token, error) {
	if !(by.Name == name && !by.Disabled) {
		if err := concord.Authorize(by, concord.ActionManageUsers); err != nil {
			return "", concord.Token{}, err
		}
	}
	secret, hash := concord.NewTokenSecret()
	t := concord.Token{ID: hash[:12], User: name, Label: label, Created: s.now()}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, _, err := s.getUser(ctx, tx, name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO api_tokens (hash, id, user_name, label, created_at) VALUES (?, ?, ?, ?, ?)`), hash, t.ID, name, label, ts(t.Created)); err != nil {
			return err
		}
		return s.record(ctx, tx, by, t.Created, "token", t.ID, "create", 1, nil, t)
	})
	if err != nil {
		return "", concord.Token{}, err
	}
	return secret, t, nil
}

// Tokens lists a user's tokens, oldest first.
func (s *Store) Tokens(ctx context.Context, name string) ([]concord.Token, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, user_name, label, created_at, last_used FROM api_tokens WHERE user_name = ? ORDER BY created_at, id`), name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []concord.Token
	for rows.Next() {
		var t concord.Token
		var c, l string
		if err := rows.Scan(&t.ID, &t.User, &t.Label, &c, &l); err != nil {
			return nil, err
		}
		t.Created, t.LastUsed = parseTS(c), parseTS(l)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// RevokeToken deletes a user's token by ID (the user themself or an admin).
func (s *Store) RevokeToken(ctx context.Context, by concord.User, name, id string) error {
	if !(by.Name == name && !by.Disabled) {
		if err := concord.Authorize(by, concord.ActionManageUsers); err != nil {
			return err
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM api_tokens WHERE user_name = ? AND id = ?`), name, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("token %s of user %s: %w", id, name, concord.ErrNotFound)
		}
		return s.record(ctx, tx, by, s.now(), "token", id, "delete", 0, concord.Token{ID: id, User: name}, nil)
	})
}

// TokenUser returns the user a token secret belongs to, or concord.ErrUnauthorized; it notes when the token was used.
func (s *Store) TokenUser(ctx context.Context, secret string) (concord.User, error) {
	hash := concord.HashToken(secret)
	var name string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT user_name FROM api_tokens WHERE hash = ?`), hash).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return concord.User{}, concord.ErrUnauthorized
	}
	if err != nil {
		return concord.User{}, err
	}
	u, _, err := s.getUser(ctx, s.db, name)
	if err != nil {
		return concord.User{}, err
	}
	if u.Disabled {
		return concord.User{}, concord.ErrUnauthorized
	}
	s.db.ExecContext(ctx, s.q(`UPDATE api_tokens SET last_used = ? WHERE hash = ?`), ts(s.now()), hash)
	return u, nil
}

// CreateSession starts a login session of an existing, enabled user for ttl;
// the secret is returned once and stored as its SHA-256.
func (s *Store) CreateSession(ctx context.Context, name string, ttl time.Duration) (string, string, error) {
	if ttl <= 0 {
		return "", "", fmt.Errorf("session: ttl %v must be positive", ttl)
	}
	u, _, err := s.getUser(ctx, s.db, name)
	if err != nil {
		return "", "", err
	}
	if u.Disabled {
		return "", "", concord.ErrUnauthorized
	}
	secret, hash := concord.NewTokenSecret()
	csrf, _ := concord.NewTokenSecret()
	now := s.now()
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO sessions (hash, user_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		hash, name, csrf, ts(now), ts(now.Add(ttl)))
	if err != nil {
		return "", "", err
	}
	return secret, csrf, nil
}

// SessionUser returns the user and CSRF token of a live session, or concord.ErrUnauthorized.
func (s *Store) SessionUser(ctx context.Context, secret string) (concord.User, string, error) {
	var name, csrf, expires string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT user_name, csrf, expires_at FROM sessions WHERE hash = ?`), concord.HashToken(secret)).Scan(&name, &csrf, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return concord.User{}, "", concord.ErrUnauthorized
	}
	if err != nil {
		return concord.User{}, "", err
	}
	if !s.now().Before(parseTS(expires)) {
		s.DeleteSession(ctx, secret)
		return concord.User{}, "", concord.ErrUnauthorized
	}
	u, _, err := s.getUser(ctx, s.db, name)
	if err != nil {
		return concord.User{}, "", err
	}
	if u.Disabled {
		return concord.User{}, "", concord.ErrUnauthorized
	}
	return u, csrf, nil
}

// DeleteSession ends a session; ending an unknown one is no error.
func (s *Store) DeleteSession(ctx context.Context, secret string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE hash = ?`), concord.HashToken(secret))
	return err
}
