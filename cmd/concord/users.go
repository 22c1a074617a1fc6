package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	concord "github.com/concord-project/concord"
	"github.com/concord-project/concord/output"
)

// userList prints users.
type userList []concord.User

func (l userList) Table() output.Table {
	t := output.Table{Columns: []string{"name", "role", "disabled", "created"}}
	for _, u := range l {
		t.Rows = append(t.Rows, []any{u.Name, string(u.Role), fmt.Sprint(u.Disabled), u.Created.Format(time.RFC3339)})
	}
	return t
}

// tokenList prints API tokens (never their secrets).
type tokenList []concord.Token

func (l tokenList) Table() output.Table {
	t := output.Table{Columns: []string{"id", "user", "label", "created", "last used"}}
	for _, k := range l {
		lu := ""
		if !k.LastUsed.IsZero() {
			lu = k.LastUsed.Format(time.RFC3339)
		}
		t.Rows = append(t.Rows, []any{k.ID, k.User, k.Label, k.Created.Format(time.RFC3339), lu})
	}
	return t
}

// newPassword reads a new password: the first line of standard input with
// --password-stdin, else $CONCORD_NEW_PASSWORD.
func newPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("--password-stdin: no password on standard input")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	if pw := os.Getenv("CONCORD_NEW_PASSWORD"); pw != "" {
		return pw, nil
	}
	return "", fmt.Errorf("give the password on standard input with --password-stdin, or in $CONCORD_NEW_PASSWORD")
}

func (a *app) usersCmd() *cobra.Command {
	var af actorFlags
	c := &cobra.Command{
		Use:   "users",
		Short: "Accounts of the agreements registry: add, list, role, disable, enable, password, tokens",
		Long: `Users of the agreements registry, with roles viewer (reads), editor (also edits
agreements and commitments) and admin (also deletes and manages users). Passwords are
stored as bcrypt hashes, API tokens as SHA-256 hashes; a token's secret is shown once.
The first user of an empty registry is made an admin. Managing users needs an admin:
--as ADMIN (with $CONCORD_PASSWORD on PostgreSQL), $CONCORD_TOKEN, or on a SQLite file
the local OS user.`,
	}
	af.register(c)
	c.AddCommand(a.usersAddCmd(&af), a.usersListCmd(), a.usersRoleCmd(&af), a.usersDisableCmd(&af, true), a.usersDisableCmd(&af, false),
		a.usersPasswdCmd(&af), a.usersTokenCmd(&af))
	return c
}

func (a *app) usersAddCmd(af *actorFlags) *cobra.Command {
	var role string
	var stdin bool
	c := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a user (password from --password-stdin or $CONCORD_NEW_PASSWORD)",
		Example: `  echo 'a long passphrase' | concord users add ada --role admin --password-stdin
  CONCORD_NEW_PASSWORD=… concord users add eve --role editor`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := concord.ParseRole(role)
			if err != nil {
				return fmt.Errorf("--role: %w", err)
			}
			pw, err := newPassword(cmd, stdin)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(reg concord.Registry, shared bool) error {
				var by concord.User
				if us, err := reg.Users(ctx); err != nil {
					return err
				} else if len(us) > 0 || !shared {
					if by, err = af.actor(ctx, reg, shared); err != nil {
						return err
					}
				}
				u, err := reg.CreateUser(ctx, by, args[0], r, pw)
				if err != nil {
					return err
				}
				return a.print(userList{u})
			})
		},
	}
	c.Flags().StringVar(&role, "role", "viewer", "viewer, editor or admin (the first user is always admin)")
	c.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from the first line of standard input")
	return c
}

func (a *app) usersListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withRegistry(cmd.Context(), func(reg concord.Registry, _ bool) error {
				us, err := reg.Users(cmd.Context())
				if err != nil {
					return err
				}
				if us == nil {
					us = []concord.User{}
				}
				return a.print(userList(us))
			})
		},
	}
}

// userWrite runs fn with the acting user and prints the user name afterwards.
func (a *app) userWrite(cmd *cobra.Command, af *actorFlags, name string, fn func(reg concord.Registry, by concord.User) error) error {
	ctx := cmd.Context()
	return a.withRegistry(ctx, func(reg concord.Registry, shared bool) error {
		by, err := af.actor(ctx, reg, shared)
		if err != nil {
			return err
		}
		if err := fn(reg, by); err != nil {
			return err
		}
		u, err := reg.User(ctx, name)
		if err != nil {
			return err
		}
		return a.print(userList{u})
	})
}

func (a *app) usersRoleCmd(af *actorFlags) *cobra.Command {
	return &cobra.Command{
		Use:     "role NAME ROLE",
		Short:   "Set a user's role (viewer, editor, admin)",
		Example: `  concord users role eve editor`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := concord.ParseRole(args[1])
			if err != nil {
				return err
			}
			return a.userWrite(cmd, af, args[0], func(reg concord.Registry, by concord.User) error {
				return reg.SetRole(cmd.Context(), by, args[0], r)
			})
		},
	}
}

func (a *app) usersDisableCmd(af *actorFlags, disable bool) *cobra.Command {
	use, short := "enable NAME", "Enable a disabled user"
	if disable {
		use, short = "disable NAME", "Disable a user: no login, no token, no writes"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.userWrite(cmd, af, args[0], func(reg concord.Registry, by concord.User) error {
				return reg.SetDisabled(cmd.Context(), by, args[0], disable)
			})
		},
	}
}

func (a *app) usersPasswdCmd(af *actorFlags) *cobra.Command {
	var stdin bool
	c := &cobra.Command{
		Use:     "password NAME",
		Short:   "Set a user's password (your own, or anyone's as admin)",
		Example: `  echo 'new passphrase' | concord users password eve --as eve --password-stdin`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := newPassword(cmd, stdin)
			if err != nil {
				return err
			}
			return a.userWrite(cmd, af, args[0], func(reg concord.Registry, by concord.User) error {
				return reg.SetPassword(cmd.Context(), by, args[0], pw)
			})
		},
	}
	c.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from the first line of standard input")
	return c
}

func (a *app) usersTokenCmd(af *actorFlags) *cobra.Command {
	c := &cobra.Command{Use: "token", Short: "API tokens for scripts: create, list, revoke"}
	var label string
	create := &cobra.Command{
		Use:     "create NAME",
		Short:   "Create an API token for a user; its secret is printed once, only its hash is kept",
		Example: `  concord users token create eve --label "nightly import"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(reg concord.Registry, shared bool) error {
				by, err := af.actor(ctx, reg, shared)
				if err != nil {
					return err
				}
				secret, t, err := reg.CreateToken(ctx, by, args[0], label)
				if err != nil {
					return err
				}
				if a.format == "json" {
					return a.print(createdToken{t, secret})
				}
				fmt.Fprintf(a.stdout, "%s\n", secret)
				fmt.Fprintf(a.stderr, "token %s for %s: keep the secret above, it is not shown again (use it as $CONCORD_TOKEN or an Authorization: Bearer header)\n", t.ID, t.User)
				return nil
			})
		},
	}
	create.Flags().StringVar(&label, "label", "", "what the token is for")
	list := &cobra.Command{
		Use:   "list NAME",
		Short: "List a user's tokens",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withRegistry(cmd.Context(), func(reg concord.Registry, _ bool) error {
				ts, err := reg.Tokens(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if ts == nil {
					ts = []concord.Token{}
				}
				return a.print(tokenList(ts))
			})
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke NAME ID",
		Short: "Revoke a user's token by its id",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withRegistry(ctx, func(reg concord.Registry, shared bool) error {
				by, err := af.actor(ctx, reg, shared)
				if err != nil {
					return err
				}
				if err := reg.RevokeToken(ctx, by, args[0], args[1]); err != nil {
					return err
				}
				fmt.Fprintf(a.stderr, "token %s of %s revoked\n", args[1], args[0])
				return nil
			})
		},
	}
	c.AddCommand(create, list, revoke)
	return c
}

// createdToken is a new token with its secret, for --format json.
type createdToken struct {
	concord.Token
	Secret string `json:"secret"`
}

func (t createdToken) Table() output.Table {
	return output.Table{Columns: []string{"id", "user", "secret"}, Rows: [][]any{{t.ID, t.User, t.Secret}}}
}
