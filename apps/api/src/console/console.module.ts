import { Module } from '@nestjs/common';
import { ConsoleHttpController } from './console.http.controller';

/** The regulator's console, served beside the API (/console). */
@Module({ controllers: [ConsoleHttpController] })
export class ConsoleModule {}
