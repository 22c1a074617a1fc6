// Command concord analyses how states align: UN General Assembly votes,
// voting blocs, agreements, events and trade. Run `concord help` for the
// commands; README.md has an example of each.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd(os.Stdout, os.Stderr)
	if err := cmd.ExecuteContext(ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(os.Stderr, "concord: interrupted; nothing was changed")
			os.Exit(130)
		}
		fmt.Fprintln(os.Stderr, "concord:", err)
		os.Exit(1)
	}
}
