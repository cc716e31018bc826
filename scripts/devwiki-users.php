<?php
/**
 * Creates the local wiki's accounts named on standard input, one per line,
 * skipping those that exist. Used by `scripts/devwiki.sh import` so that the
 * demo's registration pages are imported as edits of real local accounts
 * (importDump.php assigns an edit to a local account when one has the
 * name). The accounts have no password: nobody logs in as them.
 *
 * One PHP process and one transaction per thousand accounts: creating them
 * through the API (a request, a password hash and a login each) would take
 * hours for the 100,000-participant benchmark.
 */
$IP = getenv( 'MW_INSTALL_PATH' ) ?: '/usr/share/mediawiki';
require_once "$IP/maintenance/Maintenance.php";

class CreateDemoUsers extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addDescription( 'Create the accounts named on stdin (one per line) that do not exist' );
		$this->setBatchSize( 1000 );
	}

	public function execute() {
		$created = 0;
		$seen = 0;
		$dbw = $this->getDB( DB_PRIMARY );
		$this->beginTransaction( $dbw, __METHOD__ );
		while ( ( $line = fgets( STDIN ) ) !== false ) {
			$name = trim( $line );
			if ( $name === '' ) {
				continue;
			}
			$user = User::newFromName( $name, 'creatable' );
			if ( !$user ) {
				$this->fatalError( "not a valid user name: \"$name\"" );
			}
			$seen++;
			if ( $user->isRegistered() ) {
				continue;
			}
			$status = $user->addToDatabase();
			if ( !$status->isOK() ) {
				$this->fatalError( "cannot create \"$name\": " . $status->getWikiText() );
			}
			$created++;
			if ( $created % $this->getBatchSize() === 0 ) {
				$this->commitTransaction( $dbw, __METHOD__ );
				$this->beginTransaction( $dbw, __METHOD__ );
			}
		}
		$this->commitTransaction( $dbw, __METHOD__ );
		$this->output( "accounts: $seen named, $created created\n" );
	}
}

$maintClass = CreateDemoUsers::class;
require_once RUN_MAINTENANCE_IF_MAIN;
