/**
 * Let's Connect review script: Approve, Reject (with an optional reason) and
 * "another sharer" buttons on each row of the Proposed connections page.
 *
 * A click edits only that row's line of the page, as the logged-in person,
 * with an edit summary that says what was decided. The edit is based on the
 * revision the script read (baserevid, basetimestamp, starttimestamp): when
 * someone saved meanwhile, MediaWiki merges the two edits or reports an edit
 * conflict; on a conflict the script reads the page again and retries, and
 * if the row itself was decided meanwhile it says so and changes nothing.
 *
 * Source: templates/wiki/review.js in the letsconnect repository; its texts
 * are templates/wiki/review-i18n/*.json (banana). `letsconnect wikitext
 * review-script` prints the file to install, with the texts filled in below.
 * Install and use: docs/matching.md, "The review script".
 */
( function () {
	'use strict';

	// Filled in by letsconnect: language code → message key → text.
	var MESSAGES = {}; // @messages

	var TEMPLATE = 'Let\'s Connect proposal';
	var ROW_START = '{{' + TEMPLATE + '|';
	var MAX_TRIES = 3;

	function setMessages() {
		var lang = ( mw.config.get( 'wgUserLanguage' ) || 'en' ).toLowerCase();
		var chain = [ 'en' ];
		while ( lang ) {
			chain.splice( 1, 0, lang );
			lang = lang.indexOf( '-' ) >= 0 ? lang.slice( 0, lang.lastIndexOf( '-' ) ) : '';
		}
		// English first, then the base language, then the language itself:
		// later ones win.
		chain.forEach( function ( code ) {
			if ( MESSAGES[ code ] ) {
				mw.messages.set( MESSAGES[ code ] );
			}
		} );
	}

	function msg( key ) {
		return mw.message.apply( mw, arguments ).text();
	}

	// decode turns a wikitext value's character references into text.
	function decode( s ) {
		return new DOMParser().parseFromString( '<!doctype html><body>' + s, 'text/html' ).body.textContent;
	}

	function normalizeUser( s ) {
		s = s.replace( /_/g, ' ' ).replace( /\s+/g, ' ' ).trim();
		return s.charAt( 0 ).toUpperCase() + s.slice( 1 );
	}

	function rowKey( sharer, learners, skill ) {
		return [
			normalizeUser( sharer ),
			learners.split( /[,;]/ ).map( normalizeUser ).filter( Boolean ).join( ',' ),
			skill.replace( /\s+/g, ' ' ).trim()
		].join( '\n' );
	}

	// splitParams splits a row's "|a=1|b=2" into its parameters, "|" inside
	// links and templates left alone.
	function splitParams( body ) {
		var parts = [], depth = 0, start = 0, i, two;
		for ( i = 0; i < body.length; i++ ) {
			two = body.slice( i, i + 2 );
			if ( two === '{{' || two === '[[' ) {
				depth++;
				i++;
			} else if ( ( two === '}}' || two === ']]' ) && depth > 0 ) {
				depth--;
				i++;
			} else if ( body[ i ] === '|' && depth === 0 ) {
				parts.push( body.slice( start, i ) );
				start = i + 1;
			}
		}
		parts.push( body.slice( start ) );
		return parts.map( function ( p ) {
			var eq = p.indexOf( '=' );
			return eq < 0 ? { name: null, value: p } : { name: p.slice( 0, eq ).trim(), value: p.slice( eq + 1 ) };
		} );
	}

	// Row is one line of the page: {{Let's Connect proposal|...}}.
	function parseRow( line ) {
		var body = line.slice( ROW_START.length, line.length - 2 );
		var params = splitParams( body );
		var row = {
			params: params,
			get: function ( name ) {
				for ( var i = params.length - 1; i >= 0; i-- ) {
					if ( params[ i ].name === name ) {
						return params[ i ].value;
					}
				}
				return '';
			},
			text: function ( name ) {
				return decode( row.get( name ) ).trim();
			},
			set: function ( name, value ) {
				for ( var i = 0; i < params.length; i++ ) {
					if ( params[ i ].name === name ) {
						params[ i ].value = value;
						return;
					}
				}
				params.push( { name: name, value: value } );
			},
			line: function () {
				return ROW_START + params.map( function ( p ) {
					return p.name === null ? p.value : p.name + '=' + p.value;
				} ).join( '|' ) + '}}';
			}
		};
		row.key = rowKey( row.text( 'sharer' ), row.text( 'learners' ), row.text( 'skill' ) );
		row.status = row.text( 'status' ).toLowerCase() || 'proposed';
		return row;
	}

	// findRow returns the line index of the row with key in text, or -1
	// when it is not there or not once.
	function findRow( lines, key ) {
		var found = -1;
		for ( var i = 0; i < lines.length; i++ ) {
			if ( lines[ i ].indexOf( ROW_START ) === 0 && /\}\}\s*$/.test( lines[ i ] ) &&
				parseRow( lines[ i ].trim() ).key === key ) {
				if ( found >= 0 ) {
					return -1;
				}
				found = i;
			}
		}
		return found;
	}

	// escapeArg makes a person's text inert as a template argument's value
	// on one line, as the bot's wikitext.EscapeArg does.
	function escapeArg( s ) {
		return s.replace( /\s+/g, ' ' ).trim()
			.replace( /[|{}[\]<&~]/g, function ( c ) {
				return '&#' + c.charCodeAt( 0 ) + ';';
			} )
			.replace( /''+|__+/g, function ( run ) {
				return run.replace( /./g, function ( c ) {
					return '&#' + c.charCodeAt( 0 ) + ';';
				} );
			} )
			.replace( /^'|'$/g, '&#39;' );
	}

	function Review( api, title ) {
		this.api = api;
		this.title = title;
		this.base = null; // {text, revid, timestamp, start}
		this.queue = $.Deferred().resolve().promise();
	}

	// decide saves one decision after the ones clicked before it: each is
	// based on the page as read after the last save. (Two saves based on
	// the same revision would lose the first: MediaWiki sees no conflict
	// between a person's own edits.)
	Review.prototype.decide = function ( key, change ) {
		var self = this;
		var next = this.queue.then( function () {
			return self.save( key, change );
		} );
		this.queue = next.then( $.noop, $.noop );
		return next;
	};

	// read reads the page's latest revision.
	Review.prototype.read = function () {
		var self = this;
		return this.api.get( {
			action: 'query', prop: 'revisions', titles: this.title, rvprop: 'content|timestamp|ids',
			rvslots: 'main', curtimestamp: 1, formatversion: 2
		} ).then( function ( data ) {
			var page = data.query.pages[ 0 ], rev = page.revisions[ 0 ];
			self.base = {
				text: rev.slots.main.content, revid: rev.revid, timestamp: rev.timestamp, start: data.curtimestamp
			};
			return self.base;
		} );
	};

	// save applies change (a function of the row, returning the summary) to
	// the row with key, based on the revision read; on an edit conflict it
	// reads the page again and retries. It resolves with the summary, or
	// rejects with a message for the person.
	Review.prototype.save = function ( key, change, tries ) {
		var self = this, base = this.base;
		var lines = base.text.split( '\n' );
		var i = findRow( lines, key );
		if ( i < 0 ) {
			return $.Deferred().reject( msg( 'letsconnect-review-row-missing' ) ).promise();
		}
		var row = parseRow( lines[ i ].trim() );
		if ( row.status !== 'proposed' ) {
			return $.Deferred().reject( msg( 'letsconnect-review-already-decided', row.status ) ).promise();
		}
		var summary = change( row );
		lines[ i ] = row.line();
		return this.api.postWithEditToken( {
			action: 'edit', title: this.title, text: lines.join( '\n' ), summary: summary,
			baserevid: base.revid, basetimestamp: base.timestamp, starttimestamp: base.start,
			nocreate: 1, watchlist: 'nochange', formatversion: 2
		} ).then( function () {
			// The saved text may be a merge with someone else's edit: read
			// it before the next decision is based on it.
			return self.read().then( function () {
				return summary;
			} );
		}, function ( code, data ) {
			if ( code === 'editconflict' && ( tries || 1 ) < MAX_TRIES ) {
				return self.read().then( function () {
					return self.save( key, change, ( tries || 1 ) + 1 );
				} );
			}
			var info = data && data.error && data.error.info ? data.error.info : code;
			return $.Deferred().reject( msg( 'letsconnect-review-failed', info ) ).promise();
		} );
	};

	function describe( row ) {
		return [ row.text( 'sharer' ), row.text( 'learners' ), row.text( 'skill' ) ];
	}

	function approve( row ) {
		var d = describe( row );
		row.set( 'status', 'approved' );
		return msg( 'letsconnect-review-summary-approve', d[ 0 ], d[ 1 ], d[ 2 ] );
	}

	function reject( reason ) {
		return function ( row ) {
			var d = describe( row );
			row.set( 'status', 'rejected' );
			if ( reason ) {
				row.set( 'reason', escapeArg( reason ) );
				return msg( 'letsconnect-review-summary-reject-reason', d[ 0 ], d[ 1 ], d[ 2 ], reason );
			}
			return msg( 'letsconnect-review-summary-reject', d[ 0 ], d[ 1 ], d[ 2 ] );
		};
	}

	// switchTo approves the row with its alternative n as the sharer: the
	// sharer, score, language, hours and why become the alternative's.
	function switchTo( n ) {
		return function ( row ) {
			var d = describe( row ), alt = 'alternative' + n;
			row.set( 'sharer', row.get( alt ) );
			[ 'score', 'language', 'hours', 'why' ].forEach( function ( field ) {
				row.set( field, row.get( alt + '-' + field ) );
			} );
			row.set( 'status', 'approved' );
			return msg( 'letsconnect-review-summary-switch', row.text( 'sharer' ), d[ 1 ], d[ 2 ], d[ 0 ] );
		};
	}

	function alternatives( row ) {
		var out = [];
		for ( var n = 1; row.get( 'alternative' + n ); n++ ) {
			out.push( {
				n: n, sharer: row.text( 'alternative' + n ), score: row.text( 'alternative' + n + '-score' ),
				why: row.text( 'alternative' + n + '-why' )
			} );
		}
		return out;
	}

	// controls adds the buttons to one rendered row.
	function controls( review, $tr, row, id ) {
		var d = describe( row );
		var $status = $( '<span>' ).addClass( 'lc-review-status' ).attr( { role: 'status', 'aria-live': 'polite', tabindex: -1 } );
		var $box = $( '<div>' ).addClass( 'lc-review' ).attr( {
			id: id, role: 'group', 'aria-label': msg( 'letsconnect-review-controls-label', d[ 0 ], d[ 1 ], d[ 2 ] )
		} );
		var $reason = $( '<input>' ).attr( {
			type: 'text', id: id + '-reason', placeholder: msg( 'letsconnect-review-reason-placeholder' ),
			'aria-label': msg( 'letsconnect-review-reason-label' )
		} ).addClass( 'lc-review-reason' );
		var $approve = $( '<button>' ).attr( 'type', 'button' ).addClass( 'lc-review-approve' ).text( msg( 'letsconnect-review-approve' ) );
		var $reject = $( '<button>' ).attr( 'type', 'button' ).addClass( 'lc-review-reject' ).text( msg( 'letsconnect-review-reject' ) );
		$box.append( $approve, ' ', $reason, ' ', $reject );
		var alts = alternatives( row ), $select, $switch;
		if ( alts.length ) {
			$select = $( '<select>' ).attr( { id: id + '-alternative', 'aria-label': msg( 'letsconnect-review-alternative-label' ) } ).addClass( 'lc-review-alternative' );
			alts.forEach( function ( a ) {
				$select.append( $( '<option>' ).val( a.n ).attr( 'title', a.why ).text( msg( 'letsconnect-review-alternative-option', a.sharer, a.score ) ) );
			} );
			$switch = $( '<button>' ).attr( 'type', 'button' ).addClass( 'lc-review-switch' ).text( msg( 'letsconnect-review-alternative-choose' ) );
			$box.append( ' ', $( '<label>' ).attr( 'for', id + '-alternative' ).text( msg( 'letsconnect-review-alternative-label' ) ), ' ', $select, ' ', $switch );
		}
		$box.append( ' ', $status );
		var $buttons = $box.find( 'button, input, select' );

		// focusStatus moves the focus to the row's status (where a screen
		// reader reads the outcome) only if it was on this row's controls
		// or nowhere: a save can end while the person types a reason on
		// another row, and their keys must stay there.
		function focusStatus() {
			var active = document.activeElement;
			if ( !active || active === document.body || $.contains( $box[ 0 ], active ) ) {
				$status.trigger( 'focus' );
			}
		}
		function run( change, done ) {
			$buttons.prop( 'disabled', true );
			$status.text( msg( 'letsconnect-review-saving' ) );
			review.decide( row.key, change ).then( function () {
				$tr.attr( 'data-lc-status', done[ 0 ] );
				$tr.children().first().find( 'b' ).first().text( done[ 0 ] );
				$status.text( done[ 1 ] );
				focusStatus(); // before the controls it may be on are gone
				$box.find( 'button, input, select, label' ).remove();
			}, function ( message ) {
				$buttons.prop( 'disabled', false );
				$status.text( message ).addClass( 'error' );
				focusStatus();
			} );
		}
		$approve.on( 'click', function () {
			run( approve, [ 'approved', msg( 'letsconnect-review-saved-approved' ) ] );
		} );
		$reject.on( 'click', function () {
			run( reject( $reason.val().trim() ), [ 'rejected', msg( 'letsconnect-review-saved-rejected' ) ] );
		} );
		$reason.on( 'keydown', function ( e ) {
			if ( e.key === 'Enter' ) {
				$reject.trigger( 'click' );
			}
		} );
		if ( $switch ) {
			$switch.on( 'click', function () {
				var n = Number( $select.val() );
				var a = alts.filter( function ( x ) {
					return x.n === n;
				} )[ 0 ];
				run( switchTo( n ), [ 'approved', msg( 'letsconnect-review-saved-switched', a.sharer ) ] );
			} );
		}
		$tr.children().last().append( $box );
	}

	// banner says who may decide: a person outside the working group is
	// told that the bot will not use their decisions.
	function banner( $content, user ) {
		var $wg = $content.find( '#lc-working-group' );
		var members = ( $wg.attr( 'data-members' ) || '' ).split( '|' ).map( normalizeUser ).filter( Boolean );
		var text;
		if ( !user ) {
			text = msg( 'letsconnect-review-logged-out' );
		} else if ( $wg.length && !members.length ) {
			text = msg( 'letsconnect-review-no-working-group' );
		} else if ( $wg.length && members.indexOf( normalizeUser( user ) ) < 0 ) {
			text = msg( 'letsconnect-review-not-working-group', user, members.join( ', ' ) );
		}
		if ( text ) {
			$content.prepend( $( '<div>' ).addClass( 'lc-review-banner mw-message-box mw-message-box-warning' ).attr( 'role', 'alert' ).text( text ) );
		}
		return user && ( !$wg.length || members.indexOf( normalizeUser( user ) ) >= 0 );
	}

	function init( $content ) {
		var $rows = $content.find( 'tr.lc-proposal' );
		if ( !$rows.length || mw.config.get( 'wgAction' ) !== 'view' || mw.config.get( 'wgRevisionId' ) !== mw.config.get( 'wgCurRevisionId' ) ) {
			return;
		}
		setMessages();
		var user = mw.config.get( 'wgUserName' );
		banner( $content, user );
		if ( !user ) {
			return;
		}
		var review = new Review( new mw.Api(), mw.config.get( 'wgPageName' ) );
		review.read().then( function ( base ) {
			var lines = base.text.split( '\n' );
			$rows.each( function ( n ) {
				var $tr = $( this );
				if ( ( $tr.attr( 'data-lc-status' ) || '' ).trim().toLowerCase() !== 'proposed' ) {
					return;
				}
				var key = rowKey( $tr.attr( 'data-lc-sharer' ) || '', $tr.attr( 'data-lc-learners' ) || '', $tr.attr( 'data-lc-skill' ) || '' );
				var i = findRow( lines, key );
				if ( i >= 0 ) {
					controls( review, $tr, parseRow( lines[ i ].trim() ), 'lc-review-' + n );
				}
			} );
			$content.find( '.lc-review' ).first().closest( 'table' ).addClass( 'lc-review-ready' );
			$( document.body ).addClass( 'lc-review-ready' );
		} );
	}

	mw.loader.using( [ 'mediawiki.api', 'mediawiki.jqueryMsg' ] ).then( function () {
		$( function () {
			init( $( '#mw-content-text' ) );
		} );
	} );
}() );
