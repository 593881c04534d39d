#!/bin/sh
# Runs the real Kaiku under Xvfb on a demo data folder and writes the
# README's screenshots to docs/screenshots/, in Finnish and English, at
# 1024×700, and the week at 800×600: the sizes every screen must fit.
set -eu
cd "$(dirname "$0")/.."

for tool in Xvfb xdotool import python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "make screenshots needs Xvfb, xdotool, ImageMagick and python3 (Debian: apt-get install xvfb xdotool imagemagick python3)" >&2
		exit 1
	fi
done

make build >/dev/null
out=docs/screenshots
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'kill $xvfb $web 2>/dev/null || true; rm -rf "$tmp"' EXIT

display=${SCREENSHOT_DISPLAY:-:97}
# Where the welcome's "Skip for now" button lands in a 1024×700 window.
SKIP_X=${SKIP_X:-440}
SKIP_Y=${SKIP_Y:-462}
Xvfb $display -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
export TZ=Europe/Helsinki

# The reading list's demo feeds come from a web server on this computer.
port=${SCREENSHOT_PORT:-18765}
mkdir -p "$tmp/site"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/site" >/dev/null 2>&1 &
web=$!
sleep 1

# item prints an RSS item: title, link, summary, hours ago.
item() {
	printf '<item><title>%s</title><link>%s</link><guid>%s</guid><description>%s</description><pubDate>%s</pubDate></item>\n' \
		"$1" "$2" "$2" "$3" "$(LC_ALL=C date -R -d "-$4 hours")"
}

# feeds writes the demo site: two feeds, and a page that names the second.
feeds() {
	site="$tmp/site"
	{
		echo '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>'"$1"'</title><link>https://lehti.example/</link>'
		item "$3" https://lehti.example/1 "$4" 1
		item "$5" https://lehti.example/2 "$6" 5
		item "$7" https://lehti.example/3 "$8" 27
		echo '</channel></rss>'
	} >"$site/lehti.xml"
	{
		echo '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>'"$2"'</title><link>https://data.example/</link>'
		item "$9" https://data.example/1 "${10}" 3
		item "${11}" https://data.example/2 "${12}" 30
		echo '</channel></rss>'
	} >"$site/data.xml"
	echo '<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="data.xml"></head><body></body></html>' >"$site/index.html"
}

# demo makes a data folder with a role, a plan and posts around today.
demo() {
	data=$1
	printf '%s' '{"production":["both"],"natural":["explain","debate"],"time":["60"],"networks":["x","linkedin"],"debate":["calm"]}' >"$tmp/answers.json"
	./bin/kaiku --data "$data" role apply --answers "$tmp/answers.json" >/dev/null
	monday=$(date -d "$(date +%Y-%m-%d) -$(( $(date +%u) - 1 )) days" +%Y-%m-%d)
	day() { date -d "$monday +$1 days" +%Y-%m-%d; }
	# Monday's post is scheduled while Monday 09:15 is still to come, a draft after.
	first=scheduled
	if [ "$(date -d "$(day 0) 09:15" +%s)" -le "$(date +%s)" ]; then first=draft; fi
	# Its picture: a bar chart, described for those who cannot see it.
	convert -size 800x500 xc:'#f7fafc' -fill '#2b6cb0' -draw 'rectangle 100,300 220,450' \
		-draw 'rectangle 340,180 460,450' -draw 'rectangle 580,80 700,450' "$tmp/chart.png"
	alt="Bar chart: AI trials in three libraries"
	if [ "$2" = fi ]; then alt="Pylväskaavio: tekoälykokeilut kolmessa kirjastossa"; fi
	./bin/kaiku --data "$data" post add --at "$(day 0)T09:15" --status $first --network x --purpose write --role advising --text "$3" \
		--image "$tmp/chart.png" --alt "$alt" >/dev/null
	./bin/kaiku --data "$data" post add --at "$(day 2)T10:00" --status draft --network linkedin --purpose share --text "$4" >/dev/null
	./bin/kaiku --data "$data" post add --at "$(day 3)T13:30" --status idea --purpose converse --text "$5" >/dev/null
	# A feed by its address, in a folder, and one found from its site's page.
	./bin/kaiku --data "$data" feeds add "http://127.0.0.1:$port/lehti.xml" --folder "$9" >/dev/null
	./bin/kaiku --data "$data" feeds add "http://127.0.0.1:$port/" >/dev/null
	# Next week's, for the Posts screen.
	./bin/kaiku --data "$data" post add --at "$(day 7)T09:15" --status scheduled --network x --network linkedin --purpose write --text "$6" >/dev/null
	./bin/kaiku --data "$data" post add --at "$(day 8)T12:00" --status scheduled --network linkedin --purpose share --text "$7" --text "$8" >/dev/null
	./bin/kaiku --data "$data" post add --at "$(day 9)T10:30" --status scheduled --network x --purpose converse --text "$5" >/dev/null
	# A work calendar: a weekly team meeting, a review over a slot, a tentative seminar.
	./bin/kaiku --data "$data" calendar add "$PWD/scripts/demo-work.ics" >/dev/null
}

shoot() {
	lang=$1
	data="$tmp/data-$lang"
	if [ "$lang" = fi ]; then
		feeds Kirjastolehti "Avoin data -uutiset" \
			"Tekoäly kirjastoissa: mitä syksyn kokeiluista opittiin" "Kolme kirjastoa kokeili tekoälyä tiedonhaun opastuksessa. Asiakkaat kiittivät nopeutta, mutta lähteiden tarkistaminen jäi usein tekemättä." \
			"Lukuvinkit joulukuulle" "Kymmenen kirjaa pimeään vuodenaikaan, romaaneista tietokirjoihin." \
			"Kirjastoautot kulkevat taas talviaikataulussa" "Talviaikataulu on voimassa maaliskuun loppuun." \
			"Kunnat hyötyvät avoimesta datasta: uusi raportti" "Raportin mukaan avoin data säästää kunnilta aikaa ja tuo uusia palveluita." \
			"Rajapintojen hyvät käytännöt päivitettiin" "Suositukset kattavat nyt myös versioinnin ja käyttörajat."
		demo "$data" fi "Kolme havaintoa tekoälystä kirjastoissa: mitä opimme syksyn kokeiluista?" \
			"Hyvä raportti avoimen datan hyödyistä kunnille – suosittelen!" "Kysymys seuraajille: mikä on teidän paras tiedonhakuvinkkinne?" \
			"Kirjastojen tekoälykokeilut jatkuvat keväällä: näin pääset mukaan" "Luin viikonloppuna kolme raporttia avoimesta datasta." "Tässä niistä jokaisen tärkein havainto." Kirjastot
	else
		feeds "Library Journal" "Open Data News" \
			"AI in libraries: what this autumn's trials taught us" "Three libraries tried AI in search guidance. Patrons liked the speed, but sources often went unchecked." \
			"Reading tips for December" "Ten books for the dark season, from novels to non-fiction." \
			"Mobile libraries back on their winter timetable" "The winter timetable runs until the end of March." \
			"Municipalities gain from open data: a new report" "Open data saves municipalities time and brings new services, the report finds." \
			"Good API practices updated" "The recommendations now cover versioning and rate limits."
		demo "$data" en "Three things we learned about AI in libraries this autumn" \
			"A good report on what open data gives municipalities – recommended!" "Question for my followers: what is your best search tip?" \
			"The library AI trials go on in spring: here is how to join" "I read three reports on open data this weekend." "Here is the main finding of each." Libraries
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
	DISPLAY=$display xdotool key ctrl+3; sleep 1   # Posts
	snap posts
	DISPLAY=$display xdotool key ctrl+4; sleep 1   # Reading
	DISPLAY=$display xdotool key j
	sleep 1
	snap reading
	DISPLAY=$display xdotool key ctrl+5; sleep 1   # Role
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
