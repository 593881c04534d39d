#!/bin/sh
# Runs the real Kaiku under Xvfb on a demo data folder and writes the
# README's screenshots to docs/screenshots/, in Finnish and English, at
# 1024×700, and the week at 800×600: the sizes every screen must fit.
set -eu
cd "$(dirname "$0")/.."

for tool in Xvfb xdotool import; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "make screenshots needs Xvfb, xdotool and ImageMagick (Debian: apt-get install xvfb xdotool imagemagick)" >&2
		exit 1
	fi
done

make build >/dev/null
out=docs/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$tmp"' EXIT

display=:97
# Where the welcome's "Skip for now" button lands in a 1024×700 window.
SKIP_X=${SKIP_X:-440}
SKIP_Y=${SKIP_Y:-462}
Xvfb $display -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
export TZ=Europe/Helsinki

# demo makes a data folder with a role, a plan and posts around today.
demo() {
	data=$1
	printf '%s' '{"production":["both"],"natural":["explain","debate"],"time":["60"],"networks":["x","linkedin"],"debate":["calm"]}' >"$tmp/answers.json"
	./bin/kaiku --data "$data" role apply --answers "$tmp/answers.json" >/dev/null
	monday=$(date -d "$(date +%Y-%m-%d) -$(( $(date +%u) - 1 )) days" +%Y-%m-%d)
	day() { date -d "$monday +$1 days" +%Y-%m-%d; }
	./bin/kaiku --data "$data" post add --at "$(day 0)T09:15" --status scheduled --network x --purpose write --role advising --text "$3" >/dev/null
	./bin/kaiku --data "$data" post add --at "$(day 2)T10:00" --status draft --network linkedin --purpose share --text "$4" >/dev/null
	./bin/kaiku --data "$data" post add --at "$(day 3)T13:30" --status idea --purpose converse --text "$5" >/dev/null
	# A work calendar: a weekly team meeting, a review over a slot, a tentative seminar.
	./bin/kaiku --data "$data" calendar add "$PWD/scripts/demo-work.ics" >/dev/null
}

shoot() {
	lang=$1
	data="$tmp/data-$lang"
	if [ "$lang" = fi ]; then
		demo "$data" fi "Kolme havaintoa tekoälystä kirjastoissa: mitä opimme syksyn kokeiluista?" \
			"Hyvä raportti avoimen datan hyödyistä kunnille – suosittelen!" "Kysymys seuraajille: mikä on teidän paras tiedonhakuvinkkinne?"
	else
		demo "$data" en "Three things we learned about AI in libraries this autumn" \
			"A good report on what open data gives municipalities – recommended!" "Question for my followers: what is your best search tip?"
	fi
	# The window opens at 1024×700, the size the screens are laid out for.
	cfg="$tmp/config-$lang"
	mkdir -p "$cfg/fyne/io.github.kaiku_app.kaiku"
	printf '%s' '{"window.width":1024,"window.height":700}' >"$cfg/fyne/io.github.kaiku_app.kaiku/preferences.json"
	DISPLAY=$display XDG_CONFIG_HOME=$cfg LANGUAGE=$lang ./bin/kaiku --data "$data" --lang "$lang" >"$tmp/log-$lang" 2>&1 &
	app=$!
	sleep 4
	snap() { DISPLAY=$display import -window root -crop 1024x700+0+0 +repage "$out/$1-$lang.png"; }
	click() { DISPLAY=$display xdotool mousemove "$1" "$2" click 1; sleep 1; }
	snap welcome
	click "$SKIP_X" "$SKIP_Y" # "Skip for now"
	snap week
	key() { DISPLAY=$display xdotool key "$1"; sleep 1; }
	key m           # the month
	snap month
	key a           # the agenda
	snap agenda
	key w
	click 205 240   # Monday's post opens in the composer
	snap composer
	click 50 102    # Role
	snap role-wizard
	kill $app
	wait $app 2>/dev/null || true
	if [ "$lang" = en ]; then
		# The week in the smallest window the screens are laid out for.
		printf '%s' '{"window.width":800,"window.height":600}' >"$cfg/fyne/io.github.kaiku_app.kaiku/preferences.json"
		DISPLAY=$display XDG_CONFIG_HOME=$cfg LANGUAGE=$lang ./bin/kaiku --data "$data" --lang "$lang" >>"$tmp/log-$lang" 2>&1 &
		app=$!
		sleep 4
		DISPLAY=$display import -window root -crop 800x600+0+0 +repage "$out/week-small-en.png"
		kill $app
		wait $app 2>/dev/null || true
	fi
}

shoot en
shoot fi
echo "screenshots in $out:"
ls "$out"
