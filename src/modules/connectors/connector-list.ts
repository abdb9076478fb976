import { Connector } from './contract';
import { BoredConnector } from './providers/bored/bored.connector';
import { DiscordConnector } from './providers/discord/discord.connector';
import { DogCeoConnector } from './providers/dogceo/dogceo.connector';
import { FakeStoreConnector } from './providers/fakestore/fakestore.connector';
import { HttpConnector } from './providers/http/http.connector';
import { NasaConnector } from './providers/nasa/nasa.connector';
import { NewsApiConnector } from './providers/newsapi/newsapi.connector';
import { NumbersConnector } from './providers/numbers/numbers.connector';
import { OpenWeatherConnector } from './providers/openweather/openweather.connector';
import { PokeApiConnector } from './providers/pokeapi/pokeapi.connector';
import { RestCountriesConnector } from './providers/restcountries/restcountries.connector';
import { SalesforceConnector } from './providers/salesforce/salesforce.connector';
import { SlackConnector } from './providers/slack/slack.connector';
import { SoapConnector } from './providers/soap/soap.connector';
import { SwapiConnector } from './providers/swapi/swapi.connector';
import { TheCatApiConnector } from './providers/thecatapi/thecatapi.connector';
import { TwilioConnector } from './providers/twilio/twilio.connector';
import { StripeConnector } from './providers/stripe/stripe.connector';
import { GoogleSheetsConnector } from './providers/google-sheets/google-sheets.connector';

export type ConnectorClass = new () => Connector;

/**
 * THE list of connectors (GET /api/connectors shows them in this order). Adding a connector:
 * write providers/<key>/<key>.connector.ts (a class with a no-argument constructor) and
 * append it here; everything it needs at call time arrives in its ConnectorContext.
 */
export const CONNECTOR_CLASSES: ConnectorClass[] = [
  HttpConnector,
  SlackConnector,
  DiscordConnector,
  OpenWeatherConnector,
  TwilioConnector,
  SoapConnector,
  SalesforceConnector,
  NewsApiConnector,
  NasaConnector,
  SwapiConnector,
  PokeApiConnector,
  BoredConnector,
  NumbersConnector,
  RestCountriesConnector,
  DogCeoConnector,
  TheCatApiConnector,
  FakeStoreConnector,
  StripeConnector,
  GoogleSheetsConnector,
];
